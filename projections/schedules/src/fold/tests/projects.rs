//! Given events, then rows: projects, milestones, members, time off, memberships, unknown rows.

use super::*;

#[test]
fn events_about_unknown_rows_change_nothing() {
    let rows = fold(&[
        (Event::TaskStarted(changed()), "2024-03-01"),
        (
            Event::ProjectRenamed(ProjectRenamed {
                project_id: ProjectId(P),
                name: "x".into(),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id: ProjectId(P),
                milestone_id: MilestoneId(MS),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id: MemberId(M),
                capacity_hours_per_week: 10.0,
            }),
            "2024-03-01",
        ),
    ]);
    assert_eq!(rows, Rows::default());
}

#[test]
fn projects_milestones_members_time_off_and_memberships() {
    let project = ProjectId(P);
    let rows = fold(&[
        (
            Event::ProjectCreated(ProjectCreated {
                project_id: project,
                name: "Apollo".into(),
                start_date: d("2024-03-04"),
                deadline: None,
            }),
            "2024-03-01",
        ),
        (
            Event::ProjectRenamed(ProjectRenamed {
                project_id: project,
                name: "Artemis".into(),
            }),
            "2024-03-01",
        ),
        (
            Event::ProjectStatusChanged(ProjectStatusChanged {
                project_id: project,
                status: ProjectStatus::OnHold,
                previous: ProjectStatus::Active,
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneAdded(MilestoneAdded {
                project_id: project,
                milestone_id: MilestoneId(MS),
                name: "Beta".into(),
                due_date: d("2024-04-01"),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneMoved(MilestoneMoved {
                project_id: project,
                milestone_id: MilestoneId(MS),
                due_date: d("2024-04-08"),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id: project,
                milestone_id: MilestoneId(MS),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberRegistered(MemberRegistered {
                member_id: MemberId(M),
                name: "Ada".into(),
                skills: vec![],
                capacity_hours_per_week: 40.0,
            }),
            "2024-03-01",
        ),
        (
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id: MemberId(M),
                capacity_hours_per_week: 20.0,
            }),
            "2024-03-01",
        ),
        (
            Event::MemberTimeOffAdded(MemberTimeOffAdded {
                member_id: MemberId(M),
                from: d("2024-03-11"),
                to: d("2024-03-12"),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberJoinedProject(MemberJoinedProject {
                project_id: project,
                member_id: MemberId(M),
                role: Some("dev".into()),
                capacity_hours_per_week: 40.0,
                skills: vec![],
            }),
            "2024-03-01",
        ),
        (
            Event::MemberLeftProject(MemberLeftProject {
                project_id: project,
                member_id: MemberId(M),
            }),
            "2024-03-02",
        ),
    ]);
    let p = &rows.projects[&P];
    assert_eq!(
        (p.name.as_str(), p.status.as_str(), p.start_date),
        ("Artemis", "on_hold", d("2024-03-04"))
    );
    let m = &rows.milestones[&(P, MS)];
    assert_eq!((m.due_date, m.completed), (d("2024-04-08"), true));
    assert_eq!(rows.members[&M].capacity_hours_per_week, 20.0);
    assert_eq!(
        rows.time_off,
        [(M, d("2024-03-11"), d("2024-03-12"))].into()
    );
    assert_eq!(rows.memberships, [((P, M), None)].into());
    assert_eq!(
        keys(&[
            Event::MilestoneMoved(MilestoneMoved {
                project_id: project,
                milestone_id: MilestoneId(MS),
                due_date: d("2024-04-08")
            }),
            created()
        ]),
        Keys {
            milestones: [MS].into(),
            tasks: [T].into(),
            ..Keys::default()
        }
    );
}
