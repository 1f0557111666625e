//! Every built-in template, instantiated and scheduled: a plan a person could follow, and the
//! `plan` example that prints it.

use std::collections::HashMap;

use launchplan_shared::domain::{Date, DependencyKind, templates};
use launchplan_shared::plan::{Rag, report};

fn d(s: &str) -> Date {
    s.parse().expect("date")
}

#[test]
fn every_template_makes_a_schedule_that_respects_its_dependencies_and_its_launch() {
    for template in templates::built_in() {
        let launch = d("2026-11-11");
        let plan = report(&template, launch, d("2026-01-01"), true);
        assert_eq!(plan.finish, launch, "{}: the plan ends on the launch day", template.key);
        let by_id: HashMap<_, _> = plan.tasks.iter().map(|t| (t.id, t)).collect();
        for task in &plan.tasks {
            assert!(task.start <= task.finish && task.finish <= launch, "{}: {}", template.key, task.title);
            for dep in &task.depends_on {
                let before = by_id[&dep.task];
                if dep.kind == DependencyKind::FinishToStart && dep.lag_days >= 0 {
                    assert!(
                        task.start > before.finish,
                        "{}: {} starts before {} ends",
                        template.key,
                        task.title,
                        before.title
                    );
                }
            }
            // Judged long before it starts, nothing is late.
            assert_ne!(task.rag, Rag::Red, "{}: {}", template.key, task.title);
        }
        assert!(!plan.critical_path.is_empty());
        let starts: Vec<Date> = plan.critical_path.iter().map(|id| by_id[id].start).collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{}: the critical path is in order", template.key);
        assert!(plan.critical_path.iter().all(|id| by_id[id].slack_days == 0));
        assert!(plan.milestones.iter().all(|m| m.date.is_some_and(|date| date <= launch)));
        let json = serde_json::to_value(&plan).expect("json");
        assert_eq!(json["launch"], "2026-11-11");
        assert!(json["tasks"][0]["depends_on"].is_array());
    }
}

#[test]
fn judged_during_the_campaign_late_work_turns_red_with_a_reason() {
    let template = templates::find("double-11").expect("template");
    let plan = report(&template, d("2026-11-11"), d("2026-10-20"), false);
    let red: Vec<_> = plan.tasks.iter().filter(|t| t.rag == Rag::Red).collect();
    assert!(!red.is_empty(), "nothing was started, so work due before 10-20 is overdue");
    assert!(
        red.iter().all(|t| t.rag_reason.starts_with("Overdue") || t.rag_reason.contains("critical path"))
    );
}

/// The `plan` example, built next to this test by `cargo test`.
fn example() -> std::path::PathBuf {
    let mut path = std::env::current_exe().expect("test binary");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.join("examples").join("plan")
}

#[test]
fn the_plan_example_prints_json_and_refuses_bad_input_with_exit_code_2() {
    let run =
        |args: &[&str]| std::process::Command::new(example()).args(args).output().expect("run the example");
    let good = run(&["--template", "sku-listing", "--launch", "2027-03-01", "--today", "2027-01-01"]);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let json: serde_json::Value = serde_json::from_slice(&good.stdout).expect("json");
    assert_eq!(json["template"], "sku-listing");
    assert_eq!(json["finish"], "2027-03-01");
    for bad in [
        &["--template", "nope", "--launch", "2027-03-01"][..],
        &["--template", "618", "--launch", "2027-02-30"][..],
        &["--template", "618"][..],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty());
        assert!(out.stdout.is_empty());
    }
}
