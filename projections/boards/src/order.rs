//! The order of cards in a column and of a member's open work: written once, here.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What decides where a task sits in a list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SortKey {
    pub priority: i16,
    pub due_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub task_id: Uuid,
}

/// Cards in a column: priority (1 first), then due date (none last), then the oldest task,
/// then the id, so that the order is total and every reader sees the same board.
pub fn card_order(a: &SortKey, b: &SortKey) -> Ordering {
    a.priority
        .cmp(&b.priority)
        .then_with(|| due_first(a.due_date, b.due_date))
        .then_with(|| a.created_at.cmp(&b.created_at))
        .then_with(|| a.task_id.cmp(&b.task_id))
}

/// A member's open work. Today the card order; the place where a recommended priority
/// (from predictions) will take over.
pub fn work_order(a: &SortKey, b: &SortKey) -> Ordering {
    card_order(a, b)
}

/// Earlier due dates first; tasks without one after all that have one.
fn due_first(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn key(id: u128, priority: i16, due: Option<u32>, created: u32) -> SortKey {
        SortKey {
            priority,
            due_date: due.map(at),
            created_at: at(created),
            task_id: Uuid::from_u128(id),
        }
    }

    fn sorted(mut keys: Vec<SortKey>) -> Vec<u128> {
        keys.sort_by(card_order);
        keys.iter().map(|k| k.task_id.as_u128()).collect()
    }

    #[test]
    fn priority_comes_first() {
        assert_eq!(
            sorted(vec![
                key(1, 3, Some(1), 1),
                key(2, 1, None, 9),
                key(3, 2, Some(2), 2)
            ]),
            vec![2, 3, 1]
        );
    }

    #[test]
    fn within_a_priority_earlier_due_dates_lead_and_no_due_date_trails() {
        let keys = vec![
            key(1, 2, None, 1),
            key(2, 2, Some(20), 5),
            key(3, 2, Some(10), 9),
        ];
        assert_eq!(sorted(keys), vec![3, 2, 1]);
    }

    #[test]
    fn ties_go_to_the_older_task_then_the_smaller_id() {
        let keys = vec![
            key(9, 1, Some(5), 3),
            key(4, 1, Some(5), 2),
            key(2, 1, Some(5), 3),
            key(7, 1, None, 1),
        ];
        assert_eq!(sorted(keys), vec![4, 2, 9, 7]);
    }

    #[test]
    fn the_order_is_total_and_consistent() {
        let a = key(1, 2, Some(3), 1);
        let b = key(2, 2, Some(3), 1);
        assert_eq!(card_order(&a, &a), Ordering::Equal);
        assert_eq!(card_order(&a, &b), Ordering::Less);
        assert_eq!(card_order(&b, &a), Ordering::Greater);
        assert_eq!(work_order(&a, &b), card_order(&a, &b));
    }
}
