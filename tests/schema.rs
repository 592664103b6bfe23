//! One shape, checked five ways: the JSON Schema that `spur schema` writes accepts what
//! `spur check` accepts and names the keys the decoder knows, tried with a JSON Schema
//! validator and with yaml-language-server, the engine of VS Code's YAML extension.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Map, Value};
use spur_core::diagnostic::Source;
use spur_core::questionnaire::keys;
use spur_core::yaml::{self, Node};

/// The schema as `spur schema -o` writes it.
fn schema(dir: &Path) -> (PathBuf, Value) {
    let path = dir.join("spur-schema.json");
    let o = spur(["schema".as_ref(), "-o".as_ref(), path.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    (path, value)
}

/// A YAML document as the JSON an editor validates: keys as written, scalars as YAML
/// reads them.
fn json_of(node: &Node) -> Value {
    match &node.value {
        yaml::Value::Null => Value::Null,
        yaml::Value::Bool(b) => Value::Bool(*b),
        yaml::Value::Int(n) => Value::from(*n),
        yaml::Value::Float(x) => Value::from(*x),
        yaml::Value::Str(s) => Value::String(s.clone()),
        yaml::Value::Seq(items) => Value::Array(items.iter().map(json_of).collect()),
        yaml::Value::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.key_text(), json_of(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn yaml_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    json_of(&yaml::parse(&Source::new(path.display().to_string(), text)).unwrap())
}

/// Whether `instance` is valid under `schema`, with the validator's messages if not.
fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:spur-schema", schema.clone())
        .unwrap();
    let index = compiler.compile("urn:spur-schema", &mut schemas).unwrap();
    schemas
        .validate(instance, index)
        .map_err(|e| format!("{e:#}"))
}

/// A questionnaire that `spur check` accepts, with each key in `edits` replaced.
fn questionnaires_that_check(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "boo-vardcentral.yaml",
        "medicinkliniken-2021.yaml",
        "vardcentralen-norrby.yaml",
    ]
    .iter()
    .map(|name| copy_fixture(name, dir))
    .collect();
    let skeleton = dir.join("ifylld.yaml");
    let o = spur(["init".as_ref(), "-o".as_ref(), skeleton.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let filled = answer_every_indicator(&std::fs::read_to_string(&skeleton).unwrap());
    std::fs::write(&skeleton, &filled).unwrap();
    files.push(skeleton);
    let numbers = dir.join("siffror.yaml");
    let text = std::fs::read_to_string(dir.join("vardcentralen-norrby.yaml"))
        .unwrap()
        .replacen("  name: ", "  name: 1.10 #", 1)
        .replacen(
            "regulations: [2015, 2021]",
            "regulations: [2015, \"2021\"]",
            1,
        );
    std::fs::write(&numbers, text).unwrap();
    files.push(numbers);
    for file in &files {
        let o = spur(["check".as_ref(), file.as_os_str()]);
        assert_eq!(code(&o), 0, "{}: {}", file.display(), stderr(&o));
    }
    files
}

/// Questionnaires that `spur check` refuses for their shape, each with the problem.
fn questionnaires_that_do_not(dir: &Path) -> Vec<PathBuf> {
    let base = std::fs::read_to_string(fixture("vardcentralen-norrby.yaml")).unwrap();
    let broken = [
        (
            "okand-nyckel",
            base.replacen("  organisation:", "  organisatoin:", 1),
        ),
        (
            "dubbelt-regelverk",
            base.replacen(
                "regulations: [2015, 2021]",
                "regulations: [2015, \"2015\"]",
                1,
            ),
        ),
        (
            "fel-regelverk",
            base.replacen(
                "    override:\n      2021:",
                "    override:\n      2016:",
                1,
            ),
        ),
        ("fel-svar", base.replacen(": yes\n", ": ja\n", 1)),
    ];
    broken
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(format!("{name}.yaml"));
            std::fs::write(&path, text).unwrap();
            let o = spur(["check".as_ref(), path.as_os_str()]);
            assert_eq!(code(&o), 1, "{name} borde underkännas av spur check");
            path
        })
        .collect()
}

#[test]
fn the_schema_accepts_what_check_accepts_and_refuses_what_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let (_, schema) = schema(dir.path());
    for file in questionnaires_that_check(dir.path()) {
        let result = validate(&schema, &yaml_file(&file));
        assert!(
            result.is_ok(),
            "{}: {}",
            file.display(),
            result.unwrap_err()
        );
    }
    for file in questionnaires_that_do_not(dir.path()) {
        assert!(
            validate(&schema, &yaml_file(&file)).is_err(),
            "{} godtogs av schemat",
            file.display()
        );
    }
}

/// The property names the schema gives the object at `pointer`.
fn property_names(schema: &Value, pointer: &str) -> BTreeSet<String> {
    let object = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} saknas"));
    let mut names: BTreeSet<String> = object["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(patterns) = object["patternProperties"].as_object() {
        names.extend(patterns.keys().cloned());
    }
    names
}

#[test]
fn the_schema_names_the_keys_the_decoder_knows() {
    let dir = tempfile::tempdir().unwrap();
    let (_, schema) = schema(dir.path());
    let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<BTreeSet<_>>();
    let cases: [(&str, &[&str]); 9] = [
        ("", keys::TOP),
        ("/properties/unit", keys::UNIT),
        ("/properties/inspection", keys::INSPECTION),
        ("/properties/summary", keys::SUMMARY),
        ("/properties/areas/properties/D", keys::AREA),
        ("/$defs/answer/oneOf/1", keys::RESPONSE),
        (
            "/$defs/override/patternProperties/^(2015|2021)$",
            keys::OVERRIDE,
        ),
        ("/properties/survey", keys::SURVEY),
        ("/properties/action_plan", keys::PLAN_REF),
    ];
    for (pointer, keys) in cases {
        assert_eq!(property_names(&schema, pointer), set(keys), "{pointer}");
    }
    assert_eq!(
        property_names(&schema, "/properties/action_plan/properties/rejected/items"),
        set(keys::REJECTION)
    );
}

/// The directory holding yaml-language-server, installed by `npm ci --prefix tests/lsp`.
fn lsp_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("lsp")
}

#[test]
#[ignore = "needs Node.js and yaml-language-server: npm ci --prefix tests/lsp (.ci/run does it)"]
fn yaml_language_server_agrees_with_check() {
    let dir = tempfile::tempdir().unwrap();
    schema(dir.path());
    let modeline = format!(
        "# yaml-language-server: $schema={}\n",
        spur_core::schema::FILE_NAME
    );
    let mut valid = questionnaires_that_check(dir.path());
    for file in &valid {
        let text = std::fs::read_to_string(file).unwrap();
        if !text.starts_with("# yaml-language-server:") {
            std::fs::write(file, format!("{modeline}{text}")).unwrap();
        }
    }
    let invalid = questionnaires_that_do_not(dir.path());
    for file in &invalid {
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, format!("{modeline}{text}")).unwrap();
    }
    let mut files = valid.clone();
    files.extend(invalid.iter().cloned());
    let o = Command::new("node")
        .arg(lsp_dir().join("validate.mjs"))
        .args(&files)
        .output()
        .expect("node kunde inte startas");
    assert!(o.status.success(), "{}", stderr(&o));
    let found: Map<String, Value> = serde_json::from_slice(&o.stdout).unwrap();
    for file in valid.drain(..) {
        let diagnostics = &found[&file.display().to_string()];
        assert_eq!(diagnostics, &Value::Array(vec![]), "{}", file.display());
    }
    for file in invalid {
        let diagnostics = found[&file.display().to_string()].as_array();
        assert!(
            diagnostics.is_some_and(|d| !d.is_empty()),
            "{} godtogs av yaml-language-server",
            file.display()
        );
    }
}
