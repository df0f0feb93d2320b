//! Grid keys into the section, with scikit-learn's names:
//! `preprocess__<transformer>__<step>__<param>` and `preprocess__remainder`.
//!
//! A value is set through serde (the step to JSON, the key set, back to the
//! step), so a wrong type or an unknown choice gets the same message the
//! config parser gives, and no second list of values can drift.

use super::spec::{ColumnTransformer, Preprocess, Remainder, Step, Steps, step_names};
use crate::core::params::ParamValue;
use crate::core::wording::plain;

/// `name`s as a message lists them.
fn listed<S: AsRef<str>>(names: &[S]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names.iter().map(|n| format!("`{}`", n.as_ref())).collect::<Vec<_>>().join(", ")
}

impl Preprocess {
    /// This section with grid key `key` (`preprocess__num__simpleimputer__strategy`) set to `value`.
    ///
    /// A value `"None"` stands for Python's `None` where the parameter takes
    /// it (`preprocess__cat__onehotencoder__drop = ["None", "first"]`). Errors
    /// name the key and list what exists at the level that did not match.
    pub fn with_param(&self, key: &str, value: &ParamValue) -> Result<Preprocess, String> {
        let Preprocess::ColumnTransformer(ct) = self;
        let shape = "expected preprocess__<transformer>__<step>__<param> or preprocess__remainder";
        let Some(rest) = key.strip_prefix("preprocess__") else {
            return Err(format!("{key}: not a preprocess key ({shape})"));
        };
        if rest == "remainder" {
            let remainder: Remainder =
                serde_json::from_value(value.to_json()).map_err(|e| format!("{key}: {}", plain(&e.to_string())))?;
            return Ok(Preprocess::ColumnTransformer(ColumnTransformer { remainder, ..ct.clone() }));
        }
        let parts: Vec<&str> = rest.splitn(3, "__").collect();
        let [transformer, step, param] = parts[..] else {
            return Err(format!("{key}: {shape}, e.g. {}", example(ct)));
        };
        let names: Vec<&str> = ct.transformers.iter().map(|t| t.name.as_str()).collect();
        let Some(t) = ct.transformers.iter().position(|t| t.name == transformer) else {
            return Err(format!("{key}: no transformer `{transformer}`; the transformers are {}", listed(&names)));
        };
        let steps = match &ct.transformers[t].steps {
            Steps::Passthrough(_) => {
                return Err(format!(
                    "{key}: transformer `{transformer}` passes its columns through (steps = \"passthrough\"), it has no steps"
                ));
            }
            Steps::Pipeline(steps) => steps,
        };
        let step_names = step_names(steps);
        let Some(s) = step_names.iter().position(|n| n == step) else {
            return Err(format!(
                "{key}: transformer `{transformer}` has no step `{step}`; its steps are {}",
                listed(&step_names)
            ));
        };
        let kind = steps[s].kind();
        let params = Step::params_of(kind);
        let Some(&(_, takes_none)) = params.iter().find(|(p, _)| *p == param) else {
            let known: Vec<&str> = params.iter().map(|(p, _)| *p).collect();
            return Err(format!("{key}: {kind} has no parameter `{param}`; its parameters are {}", listed(&known)));
        };
        let new_step = set(&steps[s], param, value, takes_none).map_err(|e| format!("{key}: {e}"))?;
        let mut ct = ct.clone();
        if let Steps::Pipeline(steps) = &mut ct.transformers[t].steps {
            steps[s] = new_step;
        }
        Ok(Preprocess::ColumnTransformer(ct))
    }
}

/// `step` with `param` set to `value`, through serde.
fn set(step: &Step, param: &str, value: &ParamValue, takes_none: bool) -> Result<Step, String> {
    // serde_json has no NaN: `unknown_value = nan` (a float the encoder accepts) is set directly.
    if let (Step::OrdinalEncoder(o), "unknown_value", ParamValue::Float(x)) = (step, param, value)
        && x.is_nan()
    {
        let mut o = o.clone();
        o.unknown_value = Some(*x);
        return Ok(Step::OrdinalEncoder(o));
    }
    let json = match value {
        ParamValue::Str(s) if s == "None" && takes_none => serde_json::Value::Null,
        other => other.to_json(),
    };
    let serde_json::Value::Object(mut fields) = serde_json::to_value(step).map_err(|e| e.to_string())? else {
        return Err("the step does not serialize as a table".into());
    };
    fields.insert(param.to_string(), json);
    serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| plain(&e.to_string()))
}

/// A key that exists in the section, for messages.
fn example(ct: &ColumnTransformer) -> String {
    for t in &ct.transformers {
        if let Some(step) = t.steps.steps().first() {
            let name = step_names(t.steps.steps()).remove(0);
            if let Some((param, _)) = Step::params_of(step.kind()).first() {
                return format!("`preprocess__{}__{name}__{param}`", t.name);
            }
        }
    }
    "`preprocess__num__simpleimputer__strategy`".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::preprocess::spec::*;

    fn section() -> Preprocess {
        #[derive(serde::Deserialize)]
        struct Job {
            preprocess: Preprocess,
        }
        let text = r#"
            [preprocess]
            KIND = "ColumnTransformer"
            [[preprocess.transformers]]
            name = "cat"
            columns = "categorical"
            steps = [{ KIND = "SimpleImputer", strategy = "most_frequent" }, { KIND = "OneHotEncoder", drop = "first" }]
            [[preprocess.transformers]]
            name = "num"
            columns = "numeric"
            steps = [{ KIND = "SimpleImputer" }, { KIND = "StandardScaler" }, { KIND = "SimpleImputer" }]
            [[preprocess.transformers]]
            name = "rest"
            columns = ["id"]
            steps = "passthrough"
            [[preprocess.transformers]]
            name = "ord"
            columns = ["grade"]
            steps = [{ KIND = "OrdinalEncoder", handle_unknown = "use_encoded_value", unknown_value = -1 }]
        "#;
        toml::from_str::<Job>(text).unwrap().preprocess
    }

    fn steps(p: &Preprocess, t: usize) -> Vec<Step> {
        let Preprocess::ColumnTransformer(ct) = p;
        ct.transformers[t].steps.steps().to_vec()
    }

    fn s(v: &str) -> ParamValue {
        ParamValue::Str(v.into())
    }

    #[test]
    fn a_key_sets_one_parameter_of_one_step() {
        let p = section().with_param("preprocess__num__simpleimputer-2__strategy", &s("median")).unwrap();
        let st = steps(&p, 1);
        assert_eq!(st[0], Step::SimpleImputer(SimpleImputer::default()), "simpleimputer-1 is untouched");
        assert_eq!(st[2], Step::SimpleImputer(SimpleImputer { strategy: ImputeStrategy::Median, fill_value: None }));
        let p = p.with_param("preprocess__num__standardscaler__with_mean", &ParamValue::Bool(false)).unwrap();
        assert_eq!(steps(&p, 1)[1], Step::StandardScaler(StandardScaler { with_mean: false, with_std: true }));
        let p = p.with_param("preprocess__remainder", &s("passthrough")).unwrap();
        let Preprocess::ColumnTransformer(ct) = &p;
        assert_eq!(ct.remainder, Remainder::Passthrough);
    }

    #[test]
    fn none_unsets_an_option_and_stays_a_string_elsewhere() {
        let p = section().with_param("preprocess__cat__onehotencoder__drop", &s("None")).unwrap();
        assert_eq!(steps(&p, 0)[1], Step::OneHotEncoder(OneHotEncoder::default()));
        let p = section().with_param("preprocess__cat__onehotencoder__drop", &s("if_binary")).unwrap();
        assert_eq!(
            steps(&p, 0)[1],
            Step::OneHotEncoder(OneHotEncoder { handle_unknown: HandleUnknown::Error, drop: Some(Drop::IfBinary) })
        );
        let e = section().with_param("preprocess__cat__onehotencoder__handle_unknown", &s("None")).unwrap_err();
        assert!(e.starts_with("preprocess__cat__onehotencoder__handle_unknown: unknown variant `None`"), "{e}");
        let p = section().with_param("preprocess__cat__simpleimputer__fill_value", &ParamValue::Int(0)).unwrap();
        assert_eq!(
            steps(&p, 0)[0],
            Step::SimpleImputer(SimpleImputer {
                strategy: ImputeStrategy::MostFrequent,
                fill_value: Some(ParamValue::Int(0))
            })
        );
        let p = section()
            .with_param("preprocess__ord__ordinalencoder__unknown_value", &ParamValue::Float(f64::NAN))
            .unwrap();
        let Step::OrdinalEncoder(o) = &steps(&p, 3)[0] else { panic!("ordinal") };
        assert!(o.unknown_value.unwrap().is_nan());
    }

    #[test]
    fn errors_name_the_key_and_list_what_exists() {
        let e = |key: &str, v: ParamValue| section().with_param(key, &v).unwrap_err();
        assert_eq!(
            e("preprocess__nm__simpleimputer__strategy", s("mean")),
            "preprocess__nm__simpleimputer__strategy: no transformer `nm`; the transformers are `cat`, `num`, `rest`, `ord`"
        );
        assert_eq!(
            e("preprocess__num__simpleimputer__strategy", s("mean")),
            "preprocess__num__simpleimputer__strategy: transformer `num` has no step `simpleimputer`; its steps are \
             `simpleimputer-1`, `standardscaler`, `simpleimputer-2`"
        );
        assert_eq!(
            e("preprocess__cat__simpleimputer__strat", s("mean")),
            "preprocess__cat__simpleimputer__strat: SimpleImputer has no parameter `strat`; its parameters are `strategy`, `fill_value`"
        );
        assert!(e("preprocess__rest__x__y", s("a")).contains("passes its columns through"));
        assert_eq!(
            e("preprocess__cat__simpleimputer__strategy", s("avg")),
            "preprocess__cat__simpleimputer__strategy: unknown variant `avg`, expected one of `mean`, `median`, `most_frequent`, `constant`"
        );
        let wrong_type = e("preprocess__num__standardscaler__with_std", ParamValue::Int(1));
        assert!(wrong_type.contains("expected true or false"), "{wrong_type}");
        assert!(e("preprocess__cat__strategy", s("mean")).contains("e.g. `preprocess__cat__simpleimputer__strategy`"));
        assert!(e("preprocess__remainder", s("keep")).starts_with("preprocess__remainder: unknown variant `keep`"));
        assert!(e("max_depth", ParamValue::Int(1)).starts_with("max_depth: not a preprocess key"));
    }
}
