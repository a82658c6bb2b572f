//! Mail templates as the store keeps them (`.tix/templates/<name>.md`);
//! the syntax and placeholders are [`crate::domain::template`]'s.

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

/// Every template in force that does not parse, as `path: problem`.
pub fn check_all(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (name, bytes) in store.read_hand_written_dir(TEMPLATES_DIR)? {
        let path = format!("{TEMPLATES_DIR}/{name}");
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
