//! `foresight replay <projection>|all`: rebuild from the log, swap in, print the rate.

use crate::cli::ReplayTarget;
use crate::config::Config;

pub async fn replay(config: &Config, target: ReplayTarget, batch_size: i64) -> anyhow::Result<()> {
    let connect = config.connect_options("replay");
    let all = target == ReplayTarget::All;
    if all || target == ReplayTarget::Boards {
        report(
            "boards",
            consumer::replay(&connect, &boards::Boards, batch_size).await?,
        );
    }
    if all || target == ReplayTarget::Schedules {
        report(
            "schedules",
            consumer::replay(&connect, &schedules::Schedules, batch_size).await?,
        );
    }
    if all || target == ReplayTarget::Analytics {
        report(
            "analytics",
            consumer::replay(&connect, &analytics::Analytics, batch_size).await?,
        );
    }
    if all || target == ReplayTarget::Features {
        let worker = features::FeatureWorker::new(None, bus::Subjects::new(&config.namespace));
        report(
            "features",
            consumer::replay(&connect, &worker, batch_size).await?,
        );
    }
    Ok(())
}

fn report(name: &str, report: consumer::ReplayReport) {
    println!(
        "{name}: {} events in {:.2} s ({:.0} events/s), swapped in at position {}",
        report.events,
        report.seconds,
        report.events as f64 / report.seconds.max(1e-9),
        report.position.global_position
    );
}
