//! Each member's open work across all projects against their weekly capacity.

use std::collections::HashMap;

use uuid::Uuid;

use crate::model::{MemberRow, TaskRow};
use crate::view::{MemberLoad, round6};

/// Open work per member from all open assigned `tasks`: what is left of each estimate
/// (estimate − logged, never below 0), summed, and divided by the weekly capacity. Every member
/// is listed, idle ones with 0; tasks assigned to members never registered are left out.
/// Ordered by name, then id.
pub(crate) fn member_load(members: &[MemberRow], tasks: &[TaskRow]) -> Vec<MemberLoad> {
    let mut open: HashMap<Uuid, (u32, f64)> = HashMap::new();
    for task in tasks.iter().filter(|t| t.is_open()) {
        if let Some(member) = task.assignee {
            let entry = open.entry(member).or_default();
            entry.0 += 1;
            entry.1 += (task.estimate_hours - task.logged_hours).max(0.0);
        }
    }
    let mut loads: Vec<MemberLoad> = members
        .iter()
        .map(|m| {
            let (open_tasks, hours) = open.get(&m.id).copied().unwrap_or_default();
            let open_hours = round6(hours);
            MemberLoad {
                member_id: m.id,
                name: m.name.clone(),
                capacity_hours_per_week: m.capacity_hours_per_week,
                open_tasks,
                open_hours,
                load_ratio: (m.capacity_hours_per_week > 0.0)
                    .then(|| round6(open_hours / m.capacity_hours_per_week)),
            }
        })
        .collect();
    loads.sort_by(|a, b| a.name.cmp(&b.name).then(a.member_id.cmp(&b.member_id)));
    loads
}

#[cfg(test)]
mod tests {
    use domain::TaskStatus;

    use super::*;
    use crate::metrics::accuracy::tests::task;

    #[test]
    fn open_work_against_capacity_by_hand() {
        let member = |id: u128, name: &str, capacity| MemberRow {
            id: Uuid::from_u128(id),
            name: name.into(),
            capacity_hours_per_week: capacity,
        };
        let members = [
            member(2, "Bo", 0.0),
            member(1, "Ada", 40.0),
            member(3, "Cy", 20.0),
        ];
        let open = |mut t: TaskRow| {
            t.status = TaskStatus::InProgress;
            t
        };
        // `task` sets the current estimate to twice the given one.
        let tasks = [
            open(task(10, Some(1), 5.0, 4.0, &[])),  // 10 − 4 = 6
            open(task(11, Some(1), 10.0, 0.0, &[])), // 20
            open(task(12, Some(1), 1.0, 7.0, &[])),  // over-logged: 0
            task(13, Some(1), 50.0, 0.0, &[]),       // done: not open work
            open(task(14, Some(2), 2.0, 0.0, &[])),  // 4, but no capacity
            open(task(15, Some(9), 2.0, 0.0, &[])),  // unknown member
            open(task(16, None, 2.0, 0.0, &[])),     // unassigned
        ];
        let got: Vec<_> = member_load(&members, &tasks)
            .into_iter()
            .map(|l| (l.name, l.open_tasks, l.open_hours, l.load_ratio))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ada".into(), 3, 26.0, Some(0.65)),
                ("Bo".into(), 1, 4.0, None),
                ("Cy".into(), 0, 0.0, Some(0.0))
            ]
        );
    }
}
