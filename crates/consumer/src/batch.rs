//! Deciding what to do with a batch from the broker: pure, so every case has a unit test.

use store::Position;

/// What a message from the broker says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incoming {
    pub position: Position,
    /// The event before it in commit order, as the relay saw it.
    pub previous: Option<Position>,
}

/// For messages in delivery order: the indexes of those that continue an unbroken chain from
/// the checkpoint, and whether a message beyond the checkpoint breaks the chain, in which
/// case the log must be read instead.
pub fn plan_batch(checkpoint: Position, incoming: &[Incoming]) -> (Vec<usize>, bool) {
    let mut applicable = Vec::new();
    let mut last = checkpoint;
    for (index, message) in incoming.iter().enumerate() {
        if message.position <= last {
            continue; // applied already: a redelivery or a republished duplicate
        }
        if message.previous != Some(last) {
            return (applicable, true);
        }
        applicable.push(index);
        last = message.position;
    }
    (applicable, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(tx: i64, pos: i64) -> Position {
        Position::new(tx, pos)
    }

    fn message(position: Position, previous: Position) -> Incoming {
        Incoming {
            position,
            previous: Some(previous),
        }
    }

    #[test]
    fn an_unbroken_chain_is_applied_whole() {
        let cp = at(10, 5);
        let batch = [
            message(at(11, 6), cp),
            message(at(11, 7), at(11, 6)),
            message(at(12, 8), at(11, 7)),
        ];
        assert_eq!(plan_batch(cp, &batch), (vec![0, 1, 2], false));
    }

    #[test]
    fn what_is_at_or_below_the_checkpoint_is_skipped() {
        let cp = at(11, 7);
        let batch = [
            message(at(11, 6), at(10, 5)),
            message(at(11, 7), at(11, 6)),
            message(at(12, 8), at(11, 7)),
        ];
        assert_eq!(plan_batch(cp, &batch), (vec![2], false));
    }

    #[test]
    fn a_missing_first_message_is_a_gap() {
        let cp = at(10, 5);
        let batch = [message(at(11, 7), at(11, 6))];
        assert_eq!(plan_batch(cp, &batch), (vec![], true));
    }

    #[test]
    fn a_hole_in_the_middle_is_a_gap_after_what_came_before_it() {
        let cp = at(10, 5);
        let batch = [message(at(11, 6), cp), message(at(12, 9), at(12, 8))];
        assert_eq!(plan_batch(cp, &batch), (vec![0], true));
    }

    #[test]
    fn a_message_without_its_previous_position_cannot_be_trusted() {
        let cp = at(10, 5);
        let batch = [Incoming {
            position: at(11, 6),
            previous: None,
        }];
        assert_eq!(plan_batch(cp, &batch), (vec![], true));
    }

    #[test]
    fn a_duplicate_inside_the_batch_is_skipped() {
        let cp = at(10, 5);
        let batch = [
            message(at(11, 6), cp),
            message(at(11, 6), cp),
            message(at(11, 7), at(11, 6)),
        ];
        assert_eq!(plan_batch(cp, &batch), (vec![0, 2], false));
    }
}
