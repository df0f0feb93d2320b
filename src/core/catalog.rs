//! One catalog of KINDs per component family, read off the family's own type.
//!
//! Every family (models, splitters, searchers, metrics) is a serde enum
//! tagged on `KIND`. strum's `VariantNames` lists its variants, so a new
//! variant appears in `tuna kinds`, in the page's pickers and in "known KINDs"
//! messages with no other list to keep. A KIND's defaults are what the config
//! parser itself gives a table holding only `KIND`, so what the catalog shows
//! cannot drift from what a config file means.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};
use strum::VariantNames;

/// A family of components tagged on `KIND`.
pub trait Family: Serialize + DeserializeOwned + VariantNames {
    /// The family's section in a job config (`splitter`).
    const SECTION: &'static str;

    /// Settings a KIND has no default for, with the value its default shows
    /// (`RandomCVSearcher` needs `param_distributions`). None by default.
    fn required(_kind: &str) -> Map<String, Json> {
        Map::new()
    }

    /// Every KIND, in the order the enum declares them.
    fn kinds() -> &'static [&'static str] {
        Self::VARIANTS
    }

    /// KIND `kind` with every setting at its default; `None` for an unknown KIND.
    fn default_of(kind: &str) -> Option<Self> {
        if !Self::kinds().contains(&kind) {
            return None;
        }
        let mut table = Self::required(kind);
        table.insert("KIND".into(), Json::String(kind.into()));
        serde_json::from_value(Json::Object(table)).ok()
    }

    /// The settings of KIND `kind` and their defaults as JSON (`null` for an
    /// unset option such as `max_depth`), `KIND` left out.
    fn defaults(kind: &str) -> Option<Map<String, Json>> {
        let Json::Object(mut settings) = serde_json::to_value(Self::default_of(kind)?).ok()? else { return None };
        settings.remove("KIND");
        Some(settings)
    }
}

/// A default as a person reads it in a config: TOML-like, `None` for unset options.
pub fn display_default(value: &Json) -> String {
    match value {
        Json::Null => "None".into(),
        Json::String(s) => format!("\"{s}\""),
        Json::Object(map) if map.is_empty() => "{}".into(),
        Json::Object(map) => {
            let items: Vec<String> = map.iter().map(|(k, v)| format!("{k} = {}", display_default(v))).collect();
            format!("{{ {} }}", items.join(", "))
        }
        Json::Array(items) => format!("[{}]", items.iter().map(display_default).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// One line per KIND of family `F`: its name and every setting with its default.
pub fn describe<F: Family>() -> Vec<String> {
    F::kinds()
        .iter()
        .map(|kind| {
            let settings = F::defaults(kind).unwrap_or_default();
            let settings: Vec<String> =
                settings.iter().map(|(name, value)| format!("{name} = {}", display_default(value))).collect();
            format!("{kind:24} {}", settings.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{MetricKind, MetricName};
    use crate::core::models::Estimator;
    use crate::core::preprocess::{Preprocess, Step};
    use crate::core::searchers::SearcherKind;
    use crate::core::splitters::SplitterKind;

    /// Every KIND the catalog lists has a default that the parser accepts and
    /// that reads back as itself: the serde names and the strum names agree.
    fn consistent<F: Family + PartialEq + std::fmt::Debug>(at_least: usize) {
        assert!(F::kinds().len() >= at_least, "{}: {:?}", F::SECTION, F::kinds());
        for kind in F::kinds() {
            let default = F::default_of(kind).unwrap_or_else(|| panic!("{} `{kind}` has no default", F::SECTION));
            let json = serde_json::to_value(&default).unwrap();
            assert_eq!(json["KIND"], Json::String(kind.to_string()), "{kind} serializes under another name");
            let back: F = serde_json::from_value(json).unwrap();
            assert_eq!(back, default, "{kind}'s default does not read back");
        }
        assert!(F::default_of("NoSuchKind").is_none());
    }

    #[test]
    fn every_family_lists_every_kind_with_a_default_that_reads_back() {
        consistent::<Estimator>(14);
        consistent::<SplitterKind>(4);
        consistent::<SearcherKind>(2);
        consistent::<MetricKind>(1);
        consistent::<Preprocess>(1);
        consistent::<Step>(5);
        assert!(MetricName::all().count() >= 16);
    }

    #[test]
    fn defaults_are_the_parsers_defaults() {
        let ridge = Estimator::defaults("Ridge").unwrap();
        assert_eq!(ridge["alpha"], Json::from(1.0));
        assert_eq!(Estimator::defaults("DecisionTreeRegressor").unwrap()["max_depth"], Json::Null);
        let kfold = SplitterKind::defaults("KFoldSplitter").unwrap();
        assert_eq!(kfold["n_splits"], Json::from(5));
        let random = SearcherKind::defaults("RandomCVSearcher").unwrap();
        assert_eq!(random["n_iter"], Json::from(10));
        let imputer = Step::defaults("SimpleImputer").unwrap();
        assert_eq!((&imputer["strategy"], &imputer["fill_value"]), (&Json::from("mean"), &Json::Null));
        assert_eq!(Step::defaults("OneHotEncoder").unwrap()["drop"], Json::Null, "`tuna kinds` shows drop = None");
    }

    #[test]
    fn describe_lists_every_setting_with_its_default() {
        let lines = describe::<SplitterKind>();
        assert_eq!(lines.len(), SplitterKind::kinds().len());
        let kfold = lines.iter().find(|l| l.starts_with("KFoldSplitter ")).unwrap();
        assert!(kfold.contains("n_splits = 5") && kfold.contains("shuffle = false"), "{kfold}");
        let tree = describe::<Estimator>().into_iter().find(|l| l.starts_with("DecisionTreeClassifier")).unwrap();
        assert!(tree.contains("max_depth = None") && tree.contains("criterion = \"gini\""), "{tree}");
    }
}
