//! The form for the job's common settings: model KIND and fixed
//! hyperparameters, metric, splitter, searcher with its grid, workers, and
//! where the job reports (MLflow, alerts), beside the reporting fields that
//! are not part of the config (the page's own, rendered by their owner).
//!
//! It shows `JobForm::of` the parsed config and turns every change into an
//! `Edit` that `job_form::apply` makes; the new config is written back into
//! the editor. Lists are keyed by setting name, so an input keeps its focus
//! while the config around it changes.

use leptos::prelude::*;

use super::browser::hardware_concurrency;
use super::job_form::{
    ALERT_FORMATS, Edit, JobForm, SEARCHER_KINDS, SPACE, SPLITTER_KINDS, Space, edit as make_edit, metric_choices,
    model_choices,
};
use super::state::Config;

/// The form. Disabled (showing the last valid config) while the TOML has an error.
#[component]
pub fn ConfigForm(
    config: Config,
    /// Fields shown with the tracking and alert settings that are not part of
    /// the config (MLflow credentials, browser notifications).
    reporting_fields: ViewFnOnce,
) -> impl IntoView {
    let cores = hardware_concurrency();
    let form = Memo::new(move |previous: Option<&Option<JobForm>>| match config.parsed.get() {
        Ok(job) => Some(JobForm::of(job.config())),
        Err(_) => previous.cloned().flatten(),
    });
    let invalid = move || config.parsed.with(Result::is_err);
    // The last edit's error, at its field, while the text is what that edit left.
    let failed = RwSignal::new(None::<FieldError>);
    let edit = Callback::new(move |e: Edit| {
        let Ok(job) = config.parsed.get_untracked() else { return };
        let edited = make_edit(job.config(), &e);
        let text = edited.text.unwrap_or_else(|| config.text.get_untracked());
        failed.set(edited.error.map(|message| FieldError {
            text: text.clone(),
            place: e.place().to_string(),
            message,
        }));
        config.text.set(text);
    });
    let errors = FieldErrors { failed, text: config.text };
    let read =
        move |f: fn(&JobForm) -> String| Signal::derive(move || form.with(|j| j.as_ref().map(f)).unwrap_or_default());
    let keys = move |f: fn(&JobForm) -> Vec<String>| move || form.with(|j| j.as_ref().map(f)).unwrap_or_default();

    // Pickers group names by the kind of target: regression first, then classification.
    let grouped = |choices: Vec<(&'static str, bool)>| {
        let pick =
            |classification: bool| choices.iter().filter(|(_, c)| *c == classification).map(|(n, _)| *n).collect();
        vec![("Regression", pick(false)), ("Classification", pick(true))]
    };

    view! {
        <fieldset class="form" disabled=invalid>
            <div class="group">
                <h3>"Model"</h3>
                <Choice
                    label="KIND"
                    testid="model-select"
                    place="model.KIND"
                    errors=errors
                    groups=grouped(model_choices())
                    current=read(|f| f.model_kind.clone())
                    on_pick=Callback::new(move |kind| edit.run(Edit::ModelKind(kind)))
                />
                <div class="fields">
                    <For each=keys(|f| f.hyperparameters.iter().map(|h| h.key.clone()).collect()) key=|k| k.clone() let:key>
                        <FieldInput key=key form=form edit=edit errors=errors/>
                    </For>
                </div>
                <p class="hint">"Empty fields use the default (shown in grey). The grid overrides fields marked “grid”."</p>
            </div>
            <div class="group">
                <h3>"Score and folds"</h3>
                <Choice
                    label="metric"
                    place="metric.name"
                    errors=errors
                    groups=grouped(metric_choices())
                    current=read(|f| f.metric.clone())
                    on_pick=Callback::new(move |name| edit.run(Edit::Metric(name)))
                />
                <Choice
                    label="splitter"
                    place="splitter.KIND"
                    errors=errors
                    groups=vec![("", SPLITTER_KINDS.to_vec())]
                    current=read(|f| f.splitter_kind.to_string())
                    on_pick=Callback::new(move |kind| edit.run(Edit::SplitterKind(kind)))
                />
                <div class="fields">
                    <For each=keys(|f| f.splitter.iter().map(|s| s.key.clone()).collect()) key=|k| k.clone() let:key>
                        <FieldInput key=key form=form edit=edit errors=errors/>
                    </For>
                </div>
            </div>
            <div class="group">
                <h3>"Search"</h3>
                <Choice
                    label="searcher"
                    place="searcher.KIND"
                    errors=errors
                    groups=vec![("", SEARCHER_KINDS.to_vec())]
                    current=read(|f| f.searcher_kind.to_string())
                    on_pick=Callback::new(move |kind| edit.run(Edit::SearcherKind(kind)))
                />
                <SpaceEditor form=form edit=edit errors=errors/>
                <div class="fields">
                    <label class="field wide">
                        <span>"workers"</span>
                        <input
                            type="number"
                            min="0"
                            step="1"
                            data-testid="workers-input"
                            prop:value=move || {
                                form.with(|f| f.as_ref().map(|f| f.n_jobs).filter(|n| *n > 0).unwrap_or(cores))
                                    .to_string()
                            }
                            on:input:target=move |ev| {
                                if let Ok(n) = ev.target().value().trim().parse::<usize>() {
                                    edit.run(Edit::Set { key: "searcher.n_jobs".into(), text: n.to_string() });
                                }
                            }
                            on:change:target=move |ev| {
                                if ev.target().value().trim().is_empty() {
                                    edit.run(Edit::Set { key: "searcher.n_jobs".into(), text: String::new() });
                                }
                            }
                        />
                        <span class="hint">
                            {move || {
                                match form.with(|f| f.as_ref().map(|f| f.n_jobs).unwrap_or(0)) {
                                    0 => format!("n_jobs = 0: one Web Worker per hardware thread ({cores} here)"),
                                    n => format!("n_jobs = {n}; 0 or empty: one per hardware thread ({cores})"),
                                }
                            }}
                        </span>
                        <ErrorAt errors=errors place="searcher.n_jobs"/>
                    </label>
                    <For each=keys(|f| f.searcher.iter().map(|s| s.key.clone()).collect()) key=|k| k.clone() let:key>
                        <FieldInput key=key form=form edit=edit errors=errors/>
                    </For>
                </div>
            </div>
            <PreprocessGroup form=form edit=edit errors=errors/>
            <div class="group">
                <h3>"Tracking and alerts"</h3>
                <div class="fields">
                    <For each=keys(|f| f.services.iter().map(|s| s.key.clone()).collect()) key=|k| k.clone() let:key>
                        <FieldInput key=key form=form edit=edit errors=errors/>
                    </For>
                    <Choice
                        label="format"
                        testid="alert-format"
                        place="alerts.format"
                        errors=errors
                        groups=vec![("", ALERT_FORMATS.to_vec())]
                        current=read(|f| f.alert_format.clone())
                        on_pick=Callback::new(move |format| edit.run(Edit::Set { key: "alerts.format".into(), text: format }))
                    />
                    {reporting_fields.run()}
                </div>
                <p class="hint">
                    "Only the results, the settings and the data's lineage (name, schema, digest) go to MLflow; "
                    "the data itself stays here. Credentials stay in this tab: never in the config, a link or an export. "
                    {move || (form.with(|f| f.as_ref().is_some_and(|f| f.alert_format == "slack")))
                        .then_some("A browser cannot confirm a Slack webhook's delivery (Slack answers no CORS).")}
                </p>
            </div>
            {move || invalid().then(|| view! {
                <p class="hint">"The config text has an error (see below it): the form shows the last valid config until it is fixed."</p>
            })}
        </fieldset>
    }
}

/// The `[preprocess]` section: its transformers as scikit-learn writes them,
/// its remainder, and a button that removes it. The steps are edited in the
/// TOML (the data panel offers a section built from the data's columns).
#[component]
fn PreprocessGroup(form: Memo<Option<JobForm>>, edit: Callback<Edit>, errors: FieldErrors) -> impl IntoView {
    let rows = move || form.with(|f| f.as_ref().and_then(|f| f.preprocess.clone()));
    view! {
        <div class="group" data-testid="preprocess-group">
            <h3>"Preprocessing"</h3>
            {move || match rows() {
                None => view! {
                    <p class="hint">
                        "None: every column goes to the model as it is, so every column must be numbers without blanks. "
                        "With text or blank cells in the data, the Data panel offers a section."
                    </p>
                }
                .into_any(),
                Some(rows) => view! {
                    <table class="transformers">
                        <thead><tr><th>"name"</th><th>"columns"</th><th>"steps"</th></tr></thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| view! { <tr><td>{r.name}</td><td>{r.columns}</td><td><code>{r.steps}</code></td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                    <div class="fields">
                        <Choice
                            label="remainder"
                            testid="preprocess-remainder"
                            place="preprocess.remainder"
                            errors=errors
                            groups=vec![("", vec!["drop", "passthrough"])]
                            current=Signal::derive(move || form.with(|f| f.as_ref().map(|f| f.remainder.clone()).unwrap_or_default()))
                            on_pick=Callback::new(move |r| edit.run(Edit::Set { key: "preprocess.remainder".into(), text: r }))
                        />
                    </div>
                    <p class="hint">
                        "Fitted on each training fold only. Edit the transformers in the config text; grid keys reach them as "
                        <code>"preprocess__<name>__<step>__<setting>"</code> ". "
                        <button class="secondary small" data-testid="remove-preprocess" on:click=move |_| edit.run(Edit::Preprocess(None))>
                            "Remove preprocessing"
                        </button>
                    </p>
                    <ErrorAt errors=errors place="preprocess"/>
                }
                .into_any(),
            }}
        </div>
    }
}

/// A `<select>` of names in labelled groups (no `<optgroup>` for an empty
/// label). A current value outside the lists (an alias, a KIND from a model
/// file) is kept as an extra option so the select never misreports it.
#[component]
fn Choice(
    label: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    /// The setting it picks, where an edit's error is shown.
    place: &'static str,
    errors: FieldErrors,
    groups: Vec<(&'static str, Vec<&'static str>)>,
    current: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let known: Vec<&'static str> = groups.iter().flat_map(|(_, names)| names.iter().copied()).collect();
    let option = move |name: &'static str| {
        view! { <option value=name prop:selected=move || current.with(|c| c == name)>{name}</option> }
    };
    view! {
        <label class="field choice">
            <span>{label}</span>
            <select data-testid=testid on:change:target=move |ev| on_pick.run(ev.target().value())>
                {move || {
                    let c = current.get();
                    (!known.contains(&c.as_str())).then(|| view! { <option value=c.clone() prop:selected=true>{c.clone()}</option> })
                }}
                {groups
                    .into_iter()
                    .map(|(group, names)| {
                        let options = names.into_iter().map(option).collect_view();
                        if group.is_empty() {
                            options.into_any()
                        } else {
                            view! { <optgroup label=group>{options}</optgroup> }.into_any()
                        }
                    })
                    .collect_view()}
            </select>
            <ErrorAt errors=errors place=place/>
        </label>
    }
}

/// One setting: a checkbox for yes/no settings, else a text field whose
/// placeholder is the default. Text is applied on `change` (Enter or leaving
/// the field), so a half-typed value is never parsed.
#[component]
fn FieldInput(key: String, form: Memo<Option<JobForm>>, edit: Callback<Edit>, errors: FieldErrors) -> impl IntoView {
    let place = key.clone();
    let lookup = {
        let key = key.clone();
        move || form.with(|f| f.as_ref().and_then(|f| f.field(&key)).cloned())
    };
    let Some(initial) = untrack(lookup.clone()) else { return ().into_any() };
    let value = {
        let lookup = lookup.clone();
        move || lookup().map(|f| f.value).unwrap_or_default()
    };
    let set = move |text: String| edit.run(Edit::Set { key: key.clone(), text });
    if initial.flag {
        return view! {
            <label class="field check">
                <input type="checkbox" prop:checked=move || value() == "true" on:change:target=move |ev| set(ev.target().checked().to_string())/>
                <span>{initial.label}</span>
                <ErrorAt errors=errors place=place/>
            </label>
        }
        .into_any();
    }
    let searched = {
        let lookup = lookup.clone();
        move || lookup().is_some_and(|f| f.searched)
    };
    let tagged = searched.clone();
    let invalid_at = place.clone();
    // URLs and names need room.
    let long = initial.key.starts_with("mlflow.") || initial.key.starts_with("alerts.");
    view! {
        <label class="field" class:searched=searched class:long=long>
            <span>{initial.label} {move || tagged().then(|| view! { <em class="tag">"grid"</em> })}</span>
            <input
                type=if initial.secret { "password" } else { "text" }
                autocomplete="off"
                data-testid=initial.key.replace('.', "-")
                spellcheck="false"
                prop:value=value
                placeholder=move || lookup().map(|f| f.default).unwrap_or_default()
                aria-invalid=move || errors.at(&invalid_at).is_some().then_some("true")
                on:change:target=move |ev| set(ev.target().value())
            />
            <ErrorAt errors=errors place=place/>
        </label>
    }
    .into_any()
}

/// The grid (or distributions): a row per hyperparameter, and a row to add one.
#[component]
fn SpaceEditor(form: Memo<Option<JobForm>>, edit: Callback<Edit>, errors: FieldErrors) -> impl IntoView {
    let names = move || match form.with(|f| f.as_ref().map(|f| f.space.clone())) {
        Some(Space::Rows(rows)) => rows.into_iter().map(|(name, _)| name).collect(),
        _ => Vec::new(),
    };
    let several = move || match form.with(|f| f.as_ref().map(|f| f.space.clone())) {
        Some(Space::SeveralGrids(n)) => Some(n),
        _ => None,
    };
    let random = move || form.with(|f| f.as_ref().is_some_and(|f| f.searcher_kind == "RandomCVSearcher"));
    let new_name = RwSignal::new(String::new());
    let new_values = RwSignal::new(String::new());
    let add = move || {
        let name = new_name.get_untracked();
        if name.trim().is_empty() {
            return;
        }
        let before = form.get_untracked();
        edit.run(Edit::SpaceRow { old: None, name, values: new_values.get_untracked() });
        if form.get_untracked() != before {
            new_name.set(String::new());
            new_values.set(String::new());
        }
    };
    move || {
        match several() {
        Some(n) => view! {
            <p class="hint">{format!("param_grid is a list of {n} grids: edit it in the config text.")}</p>
        }
        .into_any(),
        None => view! {
            <table class="space">
                <caption>{move || if random() { "param_distributions" } else { "param_grid" }}</caption>
                <tbody>
                    <For each=names key=|n| n.clone() let:name>
                        <SpaceRow name=name form=form edit=edit/>
                    </For>
                    <tr class="new">
                        <td>
                            <input
                                type="text"
                                spellcheck="false"
                                placeholder="add: name"
                                aria-label="new hyperparameter name"
                                prop:value=move || new_name.get()
                                on:input:target=move |ev| new_name.set(ev.target().value())
                            />
                        </td>
                        <td>
                            <input
                                type="text"
                                spellcheck="false"
                                aria-label="new hyperparameter values"
                                placeholder=move || if random() { "1, 2, 3 or loguniform(0.001, 1000)" } else { "values: 3, 5, 7" }
                                prop:value=move || new_values.get()
                                on:input:target=move |ev| new_values.set(ev.target().value())
                                on:keydown=move |ev| if ev.key() == "Enter" { add() }
                            />
                        </td>
                        <td><button type="button" class="secondary small" on:click=move |_| add()>"Add"</button></td>
                    </tr>
                </tbody>
            </table>
            <ErrorAt errors=errors place=SPACE/>
            {move || names().is_empty().then(|| view! {
                <p class="hint">"Nothing to search yet: the one candidate is the model as set above. Add a row to try values."</p>
            })}
        }
        .into_any(),
    }
    }
}

/// One row of the grid: rename it, change its values, or remove it.
#[component]
fn SpaceRow(name: String, form: Memo<Option<JobForm>>, edit: Callback<Edit>) -> impl IntoView {
    let values = {
        let name = name.clone();
        move || form.with(|f| f.as_ref().and_then(|f| f.space_values(&name)).map(str::to_string)).unwrap_or_default()
    };
    let change = {
        let name = name.clone();
        move |new_name: String, new_values: String| {
            edit.run(Edit::SpaceRow { old: Some(name.clone()), name: new_name, values: new_values })
        }
    };
    let (rename, revalue, remove) = (change.clone(), change.clone(), change);
    let (current, label) = (name.clone(), name.clone());
    let values_now = values.clone();
    view! {
        <tr>
            <td>
                <input
                    type="text"
                    spellcheck="false"
                    aria-label="hyperparameter name"
                    value=name
                    on:change:target=move |ev| rename(ev.target().value(), values_now())
                />
            </td>
            <td>
                <input
                    type="text"
                    spellcheck="false"
                    aria-label=format!("values of {label}")
                    prop:value=values
                    on:change:target=move |ev| revalue(current.clone(), ev.target().value())
                />
            </td>
            <td>
                <button type="button" class="secondary small" title="Remove this row" on:click=move |_| remove(String::new(), String::new())>
                    "×"
                </button>
            </td>
        </tr>
    }
}

/// A form edit's error and the field it belongs to.
#[derive(Clone, PartialEq)]
struct FieldError {
    /// The config text the edit left (the error goes when it changes).
    text: String,
    /// The edited setting ([`Edit::place`]).
    place: String,
    /// The engine's message.
    message: String,
}

/// The form's last edit error, for the fields to show at their place.
#[derive(Clone, Copy)]
struct FieldErrors {
    failed: RwSignal<Option<FieldError>>,
    text: RwSignal<String>,
}

impl FieldErrors {
    /// The error for the setting at `place`, while it is current.
    fn at(&self, place: &str) -> Option<String> {
        let text = self.text;
        self.failed
            .with(|f| f.as_ref().filter(|f| f.place == place && text.with(|t| *t == f.text)).map(|f| f.message.clone()))
    }
}

/// The message of an edit of the setting at `place`, under its field.
#[component]
fn ErrorAt(errors: FieldErrors, #[prop(into)] place: String) -> impl IntoView {
    move || {
        errors.at(&place).map(|e| view! { <span class="error field-error" data-testid="error" role="alert">{e}</span> })
    }
}
