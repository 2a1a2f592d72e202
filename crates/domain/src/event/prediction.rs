//! Payloads of the events the prediction worker and `foresight train` write. Clients never send
//! them: they live on their own streams (`prediction-<task or project id>`, `model-<registry id>`),
//! so that a prediction can never race a client's command on the task's own stream.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Routed;
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId, TaskId};

/// A task's predicted elapsed duration from its start to its completion, in business hours of
/// the calendar (not working hours), and the finish dates that follow from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskForecasted {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub duration_hours_p50: f64,
    pub duration_hours_p90: f64,
    pub expected_finish_p50: DateTime<Utc>,
    pub expected_finish_p90: DateTime<Utc>,
    pub model_version: String,
    /// The business time the features were computed as of.
    pub as_of: DateTime<Utc>,
}

/// One reason behind a risk: a feature and how much it raised (or lowered) the probability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RiskFactor {
    pub name: String,
    pub contribution: f64,
}

/// The probability that a task finishes after its due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskRiskAssessed {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub late_probability: f64,
    /// The main factors, strongest first.
    pub factors: Vec<RiskFactor>,
    pub model_version: String,
    pub as_of: DateTime<Utc>,
}

/// P85 against the deadline: on track when P85 meets it, at risk when only P50 does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ForecastHealth {
    OnTrack,
    AtRisk,
    OffTrack,
}

impl ForecastHealth {
    pub fn as_str(&self) -> &'static str {
        match self {
            ForecastHealth::OnTrack => "on_track",
            ForecastHealth::AtRisk => "at_risk",
            ForecastHealth::OffTrack => "off_track",
        }
    }
}

/// Completion dates of a set of tasks from a Monte Carlo simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompletionForecast {
    pub p50: DateTime<Utc>,
    pub p85: DateTime<Utc>,
    pub p95: DateTime<Utc>,
    pub health: ForecastHealth,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MilestoneForecast {
    pub milestone_id: MilestoneId,
    pub due_date: NaiveDate,
    #[serde(flatten)]
    pub forecast: CompletionForecast,
}

/// A project's completion forecast over its remaining tasks, and each open milestone's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectForecasted {
    pub project_id: ProjectId,
    pub deadline: Option<NaiveDate>,
    #[serde(flatten)]
    pub forecast: CompletionForecast,
    pub milestones: Vec<MilestoneForecast>,
    pub remaining_tasks: u32,
    pub runs: u32,
    pub model_version: String,
    pub as_of: DateTime<Utc>,
}

/// A member who could take a task, with the expected finish if they did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssignmentCandidate {
    pub member_id: MemberId,
    pub expected_finish: DateTime<Utc>,
    pub predicted_duration_hours: f64,
    /// Share of the task's skills the member has, 0 to 1.
    pub skill_match: f64,
    /// Open work after taking the task, in weeks of the member's capacity.
    pub load_after: f64,
    /// Hours past due dates the assignment is expected to cause: the task's own, plus what it
    /// adds to the member's queued tasks it goes before. Absent (0) in recommendations made
    /// before it was kept.
    #[serde(default)]
    pub expected_hours_late: f64,
}

/// The best members for an unassigned task, best first (at most three).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssignmentRecommended {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub candidates: Vec<AssignmentCandidate>,
    pub model_version: String,
    pub as_of: DateTime<Utc>,
}

/// A model was trained by replaying the log, and measured on the most recent part of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelTrained {
    pub model_version: String,
    pub kind: String,
    /// Test metrics by name (`mae_hours`, `rmse_hours`, `p90_coverage`, `risk_auc`, `risk_brier`).
    pub metrics: BTreeMap<String, f64>,
    /// The last log position the training data saw.
    pub training_position: i64,
    pub feature_schema: String,
}

/// A trained model became the one the prediction worker uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelPromoted {
    pub model_version: String,
    pub previous_version: Option<String>,
}

/// The one registry stream every model event goes to, in version order.
pub fn model_registry_stream() -> StreamId {
    StreamId::model(Uuid::from_u128(0))
}

macro_rules! task_prediction {
    ($($event:ident),*) => {$(
        impl Routed for $event {
            fn stream(&self) -> StreamId {
                StreamId::prediction(self.task_id.0)
            }

            fn project_id(&self) -> Option<ProjectId> {
                Some(self.project_id)
            }
        }
    )*};
}

task_prediction!(TaskForecasted, TaskRiskAssessed, AssignmentRecommended);

impl Routed for ProjectForecasted {
    fn stream(&self) -> StreamId {
        StreamId::prediction(self.project_id.0)
    }

    fn project_id(&self) -> Option<ProjectId> {
        Some(self.project_id)
    }
}

impl Routed for ModelTrained {
    fn stream(&self) -> StreamId {
        model_registry_stream()
    }

    fn project_id(&self) -> Option<ProjectId> {
        None
    }
}

impl Routed for ModelPromoted {
    fn stream(&self) -> StreamId {
        model_registry_stream()
    }

    fn project_id(&self) -> Option<ProjectId> {
        None
    }
}
