//! Timings of the two hot paths on the Boo fixture: parse + validate + grade, and
//! render to PDF. Run with `cargo bench`.

use criterion::{Criterion, criterion_group, criterion_main};
use spur_core::catalog::Catalog;
use spur_core::diagnostic::Source;
use spur_core::grading;
use spur_core::inspection::Inspection;
use spur_core::{fonts, questionnaire};
use spur_report as report;
use spur_report::render::{self, Renderer};

const BOO: &str = include_str!("../fixtures/boo-vardcentral.yaml");

fn inspection() -> Inspection {
    let catalog = Catalog::embedded();
    let source = Source::new("boo-vardcentral.yaml", BOO.to_string());
    let q = questionnaire::parse(&source, catalog, &fonts::can_show).expect("giltig fixtur");
    let grading = grading::grade(catalog, &q, None);
    Inspection {
        questionnaire: q,
        plan: None,
        grading,
        warnings: Vec::new(),
    }
}

fn benches(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    fonts::all();
    c.bench_function("parse+validate+grade (Boo)", |b| b.iter(inspection));
    let renderer = Renderer::new();
    let report = report::build(catalog, &inspection(), report::Marking::Final);
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function("render PDF/A-2a (Boo)", |b| {
        b.iter(|| {
            renderer
                .pdf(&report, render::Standard::default())
                .expect("rapporten renderas")
        })
    });
    group.finish();
}

criterion_group!(spur_benches, benches);
criterion_main!(spur_benches);
