//! Measuring a fitted model on rows it was not trained on: the registry's promotion rule
//! compares a candidate and the active model on the same test rows with this.

use crate::{Dataset, FittedModel, metrics};

/// Mean absolute error of the model's p50 over `rows` of `dataset`, in hours; `None` for no rows
/// or a model that cannot read them.
pub fn duration_mae(model: &FittedModel, dataset: &Dataset, rows: &[usize]) -> Option<f64> {
    if rows.is_empty() {
        return None;
    }
    let mut predicted = Vec::with_capacity(rows.len());
    let mut actual = Vec::with_capacity(rows.len());
    for &i in rows {
        predicted.push(model.predict(dataset.row(i), None).ok()?.p50_hours);
        actual.push(dataset.duration_hours[i]);
    }
    metrics::mae(&actual, &predicted)
}
