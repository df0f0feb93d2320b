//! placeholder
use super::spec::Preprocess;
use crate::core::frame::Column;
/// placeholder
pub struct LeftOut;
/// placeholder
pub struct Suggestion;
/// placeholder
pub fn suggest(names: &[String], columns: &[Column]) -> Option<Preprocess> { let _ = (names, columns); None }
/// placeholder
pub fn suggest_with_reasons(names: &[String], columns: &[Column]) -> Option<Suggestion> { let _ = (names, columns); None }
/// placeholder
pub fn to_toml(p: &Preprocess) -> String { let _ = p; String::new() }
