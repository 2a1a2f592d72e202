//! The dependency graph: indexes, Kahn's topological order, cycles (strongly connected
//! components) and the longest chain. Every walk is iterative, so no input can overflow the
//! stack, and every loop visits each node and edge a bounded number of times.

use std::collections::{HashMap, VecDeque};

use uuid::Uuid;

/// Tasks as indexes: `deps[i]` are the tasks `i` waits for, `dependents[i]` those waiting for `i`.
/// Dependencies on ids outside the set are dropped (they are closed, or unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub deps: Vec<Vec<usize>>,
    pub dependents: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(ids: &[Uuid], depends_on: impl Fn(usize) -> Vec<Uuid>) -> Self {
        let index: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut deps = Vec::with_capacity(ids.len());
        let mut dependents = vec![Vec::new(); ids.len()];
        for i in 0..ids.len() {
            let mut mine: Vec<usize> = depends_on(i)
                .iter()
                .filter_map(|id| index.get(id).copied())
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &dep in &mine {
                dependents[dep].push(i);
            }
            deps.push(mine);
        }
        Self { deps, dependents }
    }

    pub fn len(&self) -> usize {
        self.deps.len()
    }

    /// Kahn's algorithm over the nodes in `among`: the order in which they can be done.
    /// Nodes in a cycle, or waiting on one, never reach in-degree zero and are left out.
    pub fn topological_order(&self, among: &[bool]) -> Vec<usize> {
        let mut waiting: Vec<usize> = (0..self.len())
            .map(|i| self.deps[i].iter().filter(|&&d| among[d]).count())
            .collect();
        let mut ready: VecDeque<usize> = (0..self.len())
            .filter(|&i| among[i] && waiting[i] == 0)
            .collect();
        let mut order = Vec::with_capacity(ready.len());
        while let Some(node) = ready.pop_front() {
            order.push(node);
            for &next in &self.dependents[node] {
                if among[next] {
                    waiting[next] -= 1;
                    if waiting[next] == 0 {
                        ready.push_back(next);
                    }
                }
            }
        }
        order
    }

    /// The cycles among the nodes in `among`: strongly connected components of more than one
    /// node, or of one node that depends on itself (Kosaraju, with explicit stacks).
    pub fn cycles(&self, among: &[bool]) -> Vec<Vec<usize>> {
        let n = self.len();
        let mut visited = vec![false; n];
        let mut finished = Vec::with_capacity(n);
        for root in (0..n).filter(|&i| among[i]) {
            if visited[root] {
                continue;
            }
            visited[root] = true;
            let mut stack = vec![(root, 0usize)];
            while let Some((node, next_edge)) = stack.last_mut() {
                let node = *node;
                if let Some(&dep) = self.deps[node].get(*next_edge) {
                    *next_edge += 1;
                    if among[dep] && !visited[dep] {
                        visited[dep] = true;
                        stack.push((dep, 0));
                    }
                } else {
                    finished.push(node);
                    stack.pop();
                }
            }
        }
        let mut assigned = vec![false; n];
        let mut cycles = Vec::new();
        for &root in finished.iter().rev() {
            if assigned[root] {
                continue;
            }
            assigned[root] = true;
            let mut component = Vec::new();
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                component.push(node);
                for &next in &self.dependents[node] {
                    if among[next] && !assigned[next] {
                        assigned[next] = true;
                        stack.push(next);
                    }
                }
            }
            if component.len() > 1 || self.deps[root].contains(&root) {
                component.sort_unstable();
                cycles.push(component);
            }
        }
        cycles.sort();
        cycles
    }

    /// The heaviest chain through dependencies among the nodes in `among`, in the order the work
    /// is done, and its weight. Ties go to the chain met first in index order.
    pub fn longest_chain(&self, weight: &[f64], among: &[bool]) -> (Vec<usize>, f64) {
        let mut best = vec![0.0f64; self.len()];
        let mut previous: Vec<Option<usize>> = vec![None; self.len()];
        let mut end: Option<usize> = None;
        for node in self.topological_order(among) {
            let before = self.deps[node].iter().copied().filter(|&d| among[d]).fold(
                None,
                |acc: Option<usize>, d| match acc {
                    Some(a) if best[a] >= best[d] => Some(a),
                    _ => Some(d),
                },
            );
            best[node] = weight[node] + before.map_or(0.0, |d| best[d]);
            previous[node] = before;
            if end.is_none_or(|e| best[node] > best[e] || (best[node] == best[e] && node < e)) {
                end = Some(node);
            }
        }
        let Some(end) = end else {
            return (Vec::new(), 0.0);
        };
        let mut chain = vec![end];
        // Each step goes to a node earlier in the topological order, so this ends.
        while let Some(prev) = chain.last().and_then(|&last| previous[last]) {
            chain.push(prev);
        }
        chain.reverse();
        (chain, best[end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph over `n` nodes from (task, dependency) pairs.
    fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        let ids: Vec<Uuid> = (0..n).map(|i| Uuid::from_u128(i as u128 + 1)).collect();
        let mut deps = vec![Vec::new(); n];
        for &(task, dep) in edges {
            deps[task].push(ids[dep]);
        }
        Graph::new(&ids, |i| deps[i].clone())
    }

    #[test]
    fn kahn_orders_dependencies_first_and_leaves_cycles_out() {
        // 0 <- 1 <- 2, and 3 <-> 4 with 5 waiting on 4.
        let g = graph(6, &[(1, 0), (2, 1), (3, 4), (4, 3), (5, 4)]);
        assert_eq!(g.topological_order(&[true; 6]), vec![0, 1, 2]);
    }

    #[test]
    fn unknown_and_duplicate_dependencies_are_dropped() {
        let ids = [Uuid::from_u128(1), Uuid::from_u128(2)];
        let g = Graph::new(&ids, |i| {
            if i == 1 {
                vec![ids[0], ids[0], Uuid::from_u128(99)]
            } else {
                vec![]
            }
        });
        assert_eq!(g.deps, vec![vec![], vec![0]]);
        assert_eq!(g.dependents, vec![vec![1], vec![]]);
    }

    #[test]
    fn cycles_are_components_not_what_waits_on_them() {
        let g = graph(7, &[(0, 1), (1, 2), (2, 0), (3, 2), (4, 4), (5, 6)]);
        assert_eq!(g.cycles(&[true; 7]), vec![vec![0, 1, 2], vec![4]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let edges: Vec<(usize, usize)> = (1..n).map(|i| (i, i - 1)).chain([(0, n - 1)]).collect();
        let g = graph(n, &edges);
        let cycles = g.cycles(&vec![true; n]);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n);
        assert!(g.topological_order(&vec![true; n]).is_empty());
    }

    #[test]
    fn the_longest_chain_of_a_diamond_takes_the_heavier_side() {
        // 0 -> {1, 2} -> 3; 2 is heavier than 1.
        let g = graph(4, &[(1, 0), (2, 0), (3, 1), (3, 2)]);
        assert_eq!(
            g.longest_chain(&[1.0, 2.0, 5.0, 1.0], &[true; 4]),
            (vec![0, 2, 3], 7.0)
        );
        // Only the nodes asked about count.
        assert_eq!(
            g.longest_chain(&[1.0, 2.0, 5.0, 1.0], &[true, true, false, true]),
            (vec![0, 1, 3], 4.0)
        );
        assert_eq!(g.longest_chain(&[], &[false; 4]), (vec![], 0.0));
    }
}
