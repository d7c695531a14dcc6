//! Values of a root module's input variables, from every source Terraform reads, in
//! Terraform's precedence (later wins): `TF_VAR_` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars(.json)` in lexical order, then `-var-file` and
//! `-var` options in command-line order. Defaults apply where none of these gives a value.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::Arc;

use super::config::{ModuleConfig, Src};
use super::files::Files;
use super::literal;
use super::types::Ty;
use crate::graph::InputError;
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, Value};

/// A value given as a string (`-var name=value`, `TF_VAR_name`), parsed per the variable's
/// type: literally for primitive types, as HCL otherwise.
#[derive(Clone, Debug)]
pub struct RawValue {
    pub name: String,
    pub text: String,
    /// Where the value text lies in its pseudo source file.
    pub span: Span,
}

/// One layer of values.
#[derive(Clone, Debug)]
pub enum Layer {
    Raw(Vec<RawValue>),
    /// Values of a `.tfvars` file (literals with spans in that file).
    File(Vec<(String, Node)>),
}

/// Values given on the command line and in the environment, for every root module.
#[derive(Clone, Debug, Default)]
pub struct VarInputs {
    /// `TF_VAR_` values: the lowest layer.
    pub env: Vec<RawValue>,
    /// `-var-file` and `-var`, in command-line order: the highest layers.
    pub cli: Vec<Layer>,
    pub errors: Vec<InputError>,
    /// Files that could not be read (`-var-file` that does not exist).
    pub path_errors: Vec<(std::path::PathBuf, String)>,
}

/// What the command line asks for, in order.
#[derive(Clone, Debug)]
pub enum CliVar {
    /// `--var name=value`.
    Pair(String),
    /// `--var-file FILE`.
    File(std::path::PathBuf),
}

impl VarInputs {
    /// Reads `--var`/`--var-file` options and `TF_VAR_` variables, registering each value in
    /// the source map so that findings can name where a value came from.
    pub fn read(sources: &SourceMap, cli: &[CliVar], env: &[(String, String)]) -> VarInputs {
        let mut out = VarInputs::default();
        let mut env: Vec<&(String, String)> = env.iter().collect();
        env.sort();
        for (k, v) in env {
            let Some(name) = k.strip_prefix("TF_VAR_") else {
                continue;
            };
            let text = format!("{k}={v}");
            let id = sources.add(format!("<env {k}>").into(), text.into());
            out.env.push(RawValue {
                name: name.to_string(),
                text: v.clone(),
                span: Span::new(id, k.len() + 1, k.len() + 1 + v.len()),
            });
        }
        for c in cli {
            match c {
                CliVar::Pair(pair) => {
                    let Some((name, value)) = pair.split_once('=') else {
                        out.path_errors.push((
                            format!("--var {pair}").into(),
                            "expected --var NAME=VALUE".into(),
                        ));
                        continue;
                    };
                    let id = sources.add(format!("<--var {name}>").into(), pair.clone().into());
                    out.cli.push(Layer::Raw(vec![RawValue {
                        name: name.trim().to_string(),
                        text: value.to_string(),
                        span: Span::new(id, name.len() + 1, pair.len()),
                    }]));
                }
                CliVar::File(path) => match crate::scan::read(path) {
                    Ok(text) => {
                        let text: Arc<str> = text.into();
                        let id = sources.add(path.clone(), text.clone());
                        match tfvars(id, path, &text) {
                            Ok(values) => out.cli.push(Layer::File(values)),
                            Err(e) => out.errors.push(e),
                        }
                    }
                    Err(e) => out.path_errors.push((path.clone(), e)),
                },
            }
        }
        out
    }
}

/// Parses a `.tfvars` (HCL) or `.tfvars.json` file into literal values.
pub fn tfvars(id: FileId, path: &Path, text: &str) -> Result<Vec<(String, Node)>, InputError> {
    if path.to_string_lossy().ends_with(".json") {
        let root = crate::parse::json::parse(id, text)?;
        return match root.value {
            Value::Map(m) => Ok(m.entries.into_iter().map(|(k, v)| (k.name, v)).collect()),
            _ => Err(InputError {
                span: root.span,
                message: "a .tfvars.json file must hold a JSON object".into(),
            }),
        };
    }
    let body = super::balance::parse_body(text).map_err(|(at, message)| InputError {
        span: Span::new(id, at, at),
        message,
    })?;
    Ok(body
        .attributes()
        .map(|a| {
            (
                a.key.as_str().to_string(),
                literal::eval(Src::file(id), &a.value),
            )
        })
        .collect())
}

/// The `.tfvars` files Terraform reads automatically in a root module directory, in order.
pub fn auto_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            out.push(p);
        }
    }
    let mut auto: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let n = name.to_str().unwrap_or("");
            // By name first: `is_file` costs a system call per entry.
            (n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")) && e.path().is_file()
        })
        .map(|e| e.path())
        .collect();
    auto.sort();
    out.extend(auto);
    out
}

/// The values of a root module's variables from all layers (without defaults), and the
/// errors met in its tfvars files.
pub fn root_values(
    config: &ModuleConfig<'_>,
    dir: &Path,
    files: &Files<'_>,
    inputs: &VarInputs,
) -> (HashMap<String, Node>, Vec<InputError>) {
    let mut errors = Vec::new();
    let mut layers: Vec<Layer> = vec![Layer::Raw(inputs.env.clone())];
    for path in auto_files(dir) {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Ok((display, canonical)) = files.resolve(dir, name) else {
            continue;
        };
        let Ok((id, text)) = files.read_text(&display, &canonical) else {
            continue;
        };
        match tfvars(id, &display, &text) {
            Ok(v) => layers.push(Layer::File(v)),
            Err(e) => errors.push(e),
        }
    }
    layers.extend(inputs.cli.iter().cloned());
    let mut values = HashMap::new();
    for layer in layers {
        match layer {
            Layer::File(entries) => {
                for (name, node) in entries {
                    if config.variables.contains_key(&name) {
                        values.insert(name, node);
                    }
                }
            }
            Layer::Raw(raws) => {
                for raw in raws {
                    let Some(decl) = config.variables.get(&raw.name) else {
                        continue;
                    };
                    let ty = decl.ty();
                    values.insert(raw.name.clone(), parse_raw(&raw, ty));
                }
            }
        }
    }
    (values, errors)
}

/// A string value as Terraform reads it for a variable of type `ty`.
fn parse_raw(raw: &RawValue, ty: &Ty) -> Node {
    if ty.takes_literal_string() {
        return Node::new(Value::String(raw.text.as_str().into()), raw.span);
    }
    match hcl_edit::parser::parse_expr(&raw.text) {
        Ok(e) => literal::eval(
            Src {
                file: raw.span.file,
                base: raw.span.start,
                flat: None,
            },
            &e,
        ),
        Err(_) => Node::unknown(raw.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tfvars_in_both_syntaxes() {
        let v = tfvars(
            FileId(0),
            Path::new("a.tfvars"),
            "port = 22\ncidrs = [\"0.0.0.0/0\"]\n",
        )
        .unwrap();
        assert_eq!(v[0].0, "port");
        assert_eq!(v[0].1.value, Value::Number(22.0));
        let j = tfvars(FileId(0), Path::new("a.tfvars.json"), r#"{"port": "22"}"#).unwrap();
        assert_eq!(j[0].1.as_str(), Some("22"));
    }

    #[test]
    fn cli_and_env_values_are_registered() {
        let sources = SourceMap::default();
        let inputs = VarInputs::read(
            &sources,
            &[CliVar::Pair("port=22".into())],
            &[
                ("TF_VAR_cidrs".into(), "[\"0.0.0.0/0\"]".into()),
                ("HOME".into(), "/".into()),
            ],
        );
        assert_eq!(inputs.env.len(), 1);
        let Layer::Raw(r) = &inputs.cli[0] else {
            panic!()
        };
        assert_eq!(&sources.get(r[0].span.file).text[r[0].span.range()], "22");
        let list = parse_raw(&inputs.env[0], &Ty::List(Box::new(Ty::String)));
        assert_eq!(list.as_list().unwrap()[0].as_str(), Some("0.0.0.0/0"));
        assert_eq!(parse_raw(&r[0], &Ty::Number).as_str(), Some("22"));
    }
}
