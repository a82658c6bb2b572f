//! Mail templates as the store keeps them (`.tix/templates/<name>.md`);
//! the syntax and placeholders are [`crate::domain::template`]'s.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::store::Store;

pub use crate::domain::template::{
    DEFAULT_AUTO_REPLY, DEFAULT_CSAT, DEFAULT_FORWARD, DEFAULT_NOTIFY, DEFAULT_REPLY, DEFAULT_TASK,
    PLACEHOLDERS, Template,
};

pub use crate::store::layout::TEMPLATES_DIR;

/// Template `name` (`reply`, `auto-reply`, `notify`, `task` or a canned
/// answer) as in the work tree (the copy in force, as for the config), or
/// the built-in one for the first four.
pub fn load(store: &Store, name: &str) -> Result<Template> {
    let path = format!("{TEMPLATES_DIR}/{name}.md");
    let text = match store.read_hand_written(&path)? {
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| Error::invalid(format!("{path}: not UTF-8 text")))?,
        None => match name {
            "reply" => DEFAULT_REPLY.to_string(),
            "auto-reply" => DEFAULT_AUTO_REPLY.to_string(),
            "notify" => DEFAULT_NOTIFY.to_string(),
            "task" => DEFAULT_TASK.to_string(),
            "forward" => DEFAULT_FORWARD.to_string(),
            "csat" => DEFAULT_CSAT.to_string(),
            _ => {
                let known: Vec<String> = store
                    .read_hand_written_dir(TEMPLATES_DIR)?
                    .into_iter()
                    .filter_map(|(n, _)| n.strip_suffix(".md").map(str::to_string))
                    .collect();
                return Err(Error::not_found(format!(
                    "no template `{name}` ({path}); templates: {}",
                    if known.is_empty() {
                        "none yet".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        },
    };
    Template::parse(&text).map_err(|e| Error::invalid(format!("{path}: {e}")))
}

/// A template with the departments' own versions of it
/// (`.tix/templates/<department>/<name>.md`), all loaded at once so that
/// mail about many tickets is checked before anything is written.
#[derive(Clone, Debug)]
pub struct Templates {
    shared: Template,
    departments: BTreeMap<String, Template>,
}

impl Templates {
    /// The template for a ticket of `department`: its own, else the shared.
    pub fn for_department(&self, department: Option<&str>) -> &Template {
        department
            .and_then(|d| self.departments.get(d))
            .unwrap_or(&self.shared)
    }
}

/// Template `name` as [`load`] finds it, with every department's own
/// version of it.
pub fn load_all(store: &Store, name: &str) -> Result<Templates> {
    let shared = load(store, name)?;
    let mut departments = BTreeMap::new();
    for d in &store.config().mail.departments {
        let path = format!("{TEMPLATES_DIR}/{}/{name}.md", d.name);
        if let Some(bytes) = store.read_hand_written(&path)? {
            departments.insert(d.name.clone(), parse_file(&path, bytes)?);
        }
    }
    Ok(Templates {
        shared,
        departments,
    })
}

/// Template `name` for a ticket of `department`: the department's own
/// version when it has one, else [`load`]'s.
pub fn load_for(store: &Store, name: &str, department: Option<&str>) -> Result<Template> {
    if let Some(d) = department {
        let path = format!("{TEMPLATES_DIR}/{d}/{name}.md");
        if let Some(bytes) = store.read_hand_written(&path)? {
            return parse_file(&path, bytes);
        }
    }
    load(store, name)
}

fn parse_file(path: &str, bytes: Vec<u8>) -> Result<Template> {
    let text =
        String::from_utf8(bytes).map_err(|_| Error::invalid(format!("{path}: not UTF-8 text")))?;
    Template::parse(&text).map_err(|e| Error::invalid(format!("{path}: {e}")))
}

/// Every template in force that does not parse, as `path: problem`: the
/// shared ones and the departments'.
pub fn check_all(store: &Store) -> Result<Vec<String>> {
    let mut problems = check_dir(store, TEMPLATES_DIR)?;
    for d in &store.config().mail.departments {
        problems.extend(check_dir(store, &format!("{TEMPLATES_DIR}/{}", d.name))?);
    }
    Ok(problems)
}

fn check_dir(store: &Store, dir: &str) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (name, bytes) in store.read_hand_written_dir(dir)? {
        let path = format!("{dir}/{name}");
        if !name.ends_with(".md") {
            problems.push(format!("{path}: templates are `<name>.md` files"));
            continue;
        }
        match String::from_utf8(bytes) {
            Err(_) => problems.push(format!("{path}: not UTF-8 text")),
            Ok(text) => {
                if let Err(e) = Template::parse(&text) {
                    problems.push(format!("{path}: {e}"));
                }
            }
        }
    }
    Ok(problems)
}
