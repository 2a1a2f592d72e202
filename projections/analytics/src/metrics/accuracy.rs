//! Estimate accuracy: logged hours against the original estimate of done tasks, per member and label.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use super::percentile::{mean, median, sorted};
use super::states::TaskAsOf;
use crate::model::TaskRow;
use crate::view::{AccuracyStats, EstimateAccuracy, LabelAccuracy, MemberAccuracy, round6};

pub(crate) fn stats(ratios: Vec<f64>) -> AccuracyStats {
    let ratios = sorted(ratios);
    AccuracyStats {
        count: ratios.len() as u32,
        mean_ratio: mean(&ratios).map(round6),
        median_ratio: median(&ratios).map(round6),
    }
}

/// The ratio `logged / original estimate` of every task done in `states`. Actual effort is the
/// hours logged, never elapsed time: a done task with nothing logged is counted apart instead.
/// Members are the tasks' assignees; a task counts once under each of its distinct labels.
pub(crate) fn estimate_accuracy(
    states: &BTreeMap<Uuid, TaskAsOf>,
    tasks: &BTreeMap<Uuid, TaskRow>,
    names: &HashMap<Uuid, String>,
) -> EstimateAccuracy {
    let mut all = Vec::new();
    let mut without_logged_hours = 0;
    let mut by_member: BTreeMap<Uuid, Vec<f64>> = BTreeMap::new();
    let mut by_label: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let done = states.iter().filter(|(_, s)| s.completed_at.is_some());
    for task in done.filter_map(|(id, _)| tasks.get(id)) {
        if task.logged_hours <= 0.0 || task.original_estimate <= 0.0 {
            without_logged_hours += 1;
            continue;
        }
        let ratio = task.logged_hours / task.original_estimate;
        all.push(ratio);
        if let Some(member) = task.assignee {
            by_member.entry(member).or_default().push(ratio);
        }
        for label in task
            .labels
            .iter()
            .map(String::as_str)
            .collect::<BTreeSet<_>>()
        {
            by_label.entry(label).or_default().push(ratio);
        }
    }
    EstimateAccuracy {
        overall: stats(all),
        without_logged_hours,
        by_member: by_member
            .into_iter()
            .map(|(member_id, ratios)| MemberAccuracy {
                member_id,
                name: names.get(&member_id).cloned(),
                stats: stats(ratios),
            })
            .collect(),
        by_label: by_label
            .into_iter()
            .map(|(label, ratios)| LabelAccuracy {
                label: label.to_owned(),
                stats: stats(ratios),
            })
            .collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use domain::TaskStatus;

    use super::*;
    use crate::metrics::states::tests::at;

    pub(crate) fn task(
        id: u128,
        assignee: Option<u128>,
        estimate: f64,
        logged: f64,
        labels: &[&str],
    ) -> TaskRow {
        TaskRow {
            id: Uuid::from_u128(id),
            project_id: Uuid::from_u128(1000),
            assignee: assignee.map(Uuid::from_u128),
            estimate_hours: estimate * 2.0,
            original_estimate: estimate,
            logged_hours: logged,
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            milestone_id: None,
            status: TaskStatus::Done,
            blocked_from: None,
            created_at: at(1, 0),
            started_at: None,
            completed_at: None,
            reopen_count: 0,
            cancelled_at: None,
            risk: None,
        }
    }

    #[test]
    fn ratios_by_member_and_label_by_hand() {
        let rows = [
            task(1, Some(50), 8.0, 12.0, &["api", "api"]), // 1.5
            task(2, Some(50), 4.0, 2.0, &["api", "ui"]),   // 0.5
            task(3, Some(60), 10.0, 10.0, &["ui"]),        // 1.0
            task(4, None, 2.0, 5.0, &[]),                  // 2.5
            task(5, Some(60), 3.0, 0.0, &["ui"]),          // nothing logged
            task(6, Some(60), 3.0, 9.0, &["ui"]),          // not done
        ];
        let tasks: BTreeMap<Uuid, TaskRow> = rows.into_iter().map(|t| (t.id, t)).collect();
        let done = TaskAsOf {
            status: TaskStatus::Done,
            first_start: Some(at(1, 0)),
            completed_at: Some(at(2, 0)),
        };
        let open = TaskAsOf {
            status: TaskStatus::InProgress,
            first_start: Some(at(1, 0)),
            completed_at: None,
        };
        let states: BTreeMap<Uuid, TaskAsOf> = (1..=6)
            .map(|i| (Uuid::from_u128(i), if i == 6 { open } else { done }))
            .collect();
        let names = [(Uuid::from_u128(50), "Ada".to_owned())]
            .into_iter()
            .collect();
        let got = estimate_accuracy(&states, &tasks, &names);
        // Overall 0.5, 1.0, 1.5, 2.5: mean 5.5 / 4 = 1.375, median (1.0 + 1.5) / 2 = 1.25.
        assert_eq!(
            got.overall,
            AccuracyStats {
                count: 4,
                mean_ratio: Some(1.375),
                median_ratio: Some(1.25)
            }
        );
        assert_eq!(got.without_logged_hours, 1);
        let members: Vec<_> = got
            .by_member
            .iter()
            .map(|m| (m.member_id, m.name.as_deref(), m.stats.clone()))
            .collect();
        assert_eq!(
            members,
            vec![
                (
                    Uuid::from_u128(50),
                    Some("Ada"),
                    AccuracyStats {
                        count: 2,
                        mean_ratio: Some(1.0),
                        median_ratio: Some(1.0)
                    }
                ),
                (
                    Uuid::from_u128(60),
                    None,
                    AccuracyStats {
                        count: 1,
                        mean_ratio: Some(1.0),
                        median_ratio: Some(1.0)
                    }
                ),
            ]
        );
        let labels: Vec<_> = got
            .by_label
            .iter()
            .map(|l| (l.label.as_str(), l.stats.count, l.stats.mean_ratio))
            .collect();
        assert_eq!(labels, vec![("api", 2, Some(1.0)), ("ui", 2, Some(0.75))]);
        assert_eq!(
            stats(vec![]),
            AccuracyStats {
                count: 0,
                mean_ratio: None,
                median_ratio: None
            }
        );
    }
}
