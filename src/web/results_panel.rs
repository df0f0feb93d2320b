//! The results panel: the best score and params, the exports, and the
//! `cv_results` table, sortable by any column with the best row marked.

use leptos::prelude::*;

use super::browser::download;
use super::exports::{CSV_FILE, JSON_FILE, TRAINING_FILE, results_json, training_config};
use super::format::format_number;
use super::results_view::{ColumnGroup, ResultsView, Sort, header_parts};
use super::state::{Run, RunState};
use crate::core::params::params_to_python;
use crate::jobs::tuning::{JobReport, score_name};

/// What each export button saves.
#[derive(Clone, Copy)]
enum Export {
    Csv,
    Json,
    Training,
}

/// The results panel.
#[component]
pub fn ResultsPanel(run: ReadSignal<Run>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let table = Memo::new(move |_| run.with(|r| r.report().map(|r| ResultsView::of(&r.results))));
    // Best first until a header is clicked: rank 1 on top, unscored candidates last.
    let sort = RwSignal::new(Some(Sort { column: "rank_test_score".into(), descending: false }));
    // The run changes at every redraw while running: these change only with its state.
    let state = Memo::new(move |_| run.with(Run::state));
    let no_results = Memo::new(move |_| run.with(|r| r.report().is_none()));
    let none = move || no_results.get();
    let export = move |what: Export| {
        let saved = run.with_untracked(|run| {
            let (job, report) = run.finished().ok_or("run the job first: there are no results yet")?;
            match what {
                Export::Csv => download(CSV_FILE, "text/csv", &report.results.to_csv()),
                Export::Json => download(JSON_FILE, "application/json", &results_json(report)),
                Export::Training => download(TRAINING_FILE, "application/toml", &training_config(job, report)?),
            }
        });
        error.set(saved.err());
    };

    view! {
        <section class="panel results">
            <div class="panel-head">
                <h2>"Results"</h2>
                <div class="toolbar">
                    <button class="secondary" data-testid="export-csv" disabled=none on:click=move |_| export(Export::Csv)
                        title="cv_results.csv, as tuna run writes it">
                        "cv_results.csv"
                    </button>
                    <button class="secondary" data-testid="export-json" disabled=none on:click=move |_| export(Export::Json)
                        title="results.json, as tuna run --out writes it">
                        "Results JSON"
                    </button>
                    <button class="secondary" data-testid="export-training-config" disabled=none
                        on:click=move |_| export(Export::Training)
                        title="The model KIND and fixed hyperparameters with the best params: a model config ready to train">
                        "Best model config"
                    </button>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            {move || {
                none()
                    .then(|| match state.get() {
                        RunState::Running => "The table appears here when the search ends; the scores above fill in as folds finish.",
                        RunState::Failed => "No results: the job stopped with the error shown above.",
                        _ => "Run the job to see every candidate's cross-validated scores here.",
                    })
                    .map(|text| view! { <p class="muted">{text}</p> })
            }}
            {move || run.with(|r| r.report().map(best))}
            <ResultsTable table=table sort=sort/>
        </section>
    }
}

/// The best score and params, prominent.
fn best(report: &JobReport) -> AnyView {
    let r = &report.results;
    if !r.best_score.is_finite() {
        return view! { <p class="hint">"No candidate finished all its folds, so there is no best score."</p> }
            .into_any();
    }
    let std = r.cv_results.std_test_score.get(r.best_index).copied().unwrap_or(f64::NAN);
    // As the results JSON writes them (`None` as a config spells it, "None").
    let params = serde_json::to_string(&r.best_params).unwrap_or_default();
    let oob = r.best_estimator_oob_score.map(|score| {
        view! {
            <div>
                <span class="label">"Out-of-bag score of the refit model"</span>
                <strong data-testid="oob-score" title=score.to_string()>{format_number(score)}</strong>
                <span class="muted">
                    " (oob_score_: R² or accuracy of each row predicted by the trees that did not see it)"
                </span>
            </div>
        }
    });
    view! {
        <div class="best-summary">
            <div>
                <span class="label">"Best " {score_name(&report.metric)}</span>
                <strong data-testid="best-score" title=r.best_score.to_string()>{format_number(r.best_score)}</strong>
                <span class="muted">" ± " {format_number(std)} " (std over " {r.n_splits} " folds)"</span>
            </div>
            <div>
                <span class="label">"Best params"</span>
                <code data-testid="best-params">{params}</code>
            </div>
            {oob}
            {r.best_estimator_n_estimators.map(|n| view! {
                <div>
                    <span class="label">"Stages kept by early stopping"</span>
                    <strong data-testid="n-estimators">{n}</strong>
                    <span class="muted">" (n_estimators_ of the refit model)"</span>
                </div>
            })}
            <p class="muted">
                {params_to_python(&r.best_params)} " · candidate " {r.best_index} " of "
                {r.cv_results.params.len()}
                {report.cancelled.then_some(" · best of the candidates that finished before the cancel")}
            </p>
        </div>
    }
    .into_any()
}

/// `cv_results` as a table: click a header to sort, again to reverse; hide
/// groups of columns to keep it narrow (times and per-fold scores are hidden
/// at first, so the answer fits a laptop's width).
#[component]
fn ResultsTable(table: Memo<Option<ResultsView>>, sort: RwSignal<Option<Sort>>) -> impl IntoView {
    let hidden = RwSignal::new(vec![ColumnGroup::Times, ColumnGroup::Folds]);
    let toggle = move |group: ColumnGroup, label: &'static str| {
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || hidden.with(|h| !h.contains(&group))
                    on:change:target=move |ev| {
                        let show = ev.target().checked();
                        hidden.update(|h| {
                            h.retain(|g| *g != group);
                            if !show {
                                h.push(group);
                            }
                        });
                    }
                />
                {label}
            </label>
        }
    };
    move || {
        table.with(|t| {
            t.as_ref().map(|t| {
                let columns = t.columns.clone();
                let best = t.best;
                let has_train = columns.iter().any(|c| c.group == ColumnGroup::Train);
                let hides = move |group: ColumnGroup| move || hidden.with(|h| h.contains(&group));
                let rows = move || table.with(|t| t.as_ref().map(|t| t.sorted(sort.get().as_ref())).unwrap_or_default());
                let headers = columns
                    .iter()
                    .map(|c| {
                        let name = c.name.clone();
                        let aria = {
                            let name = name.clone();
                            move || match sort.get() {
                                Some(s) if s.column == name && s.descending => "descending",
                                Some(s) if s.column == name => "ascending",
                                _ => "none",
                            }
                        };
                        let by = {
                            let name = name.clone();
                            move || sort.update(|s| *s = Some(Sort::clicked(s.as_ref(), &name)))
                        };
                        let by_key = by.clone();
                        let key = move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                by_key();
                            }
                        };
                        let parts: Vec<String> = header_parts(&name).into_iter().map(str::to_string).collect();
                        let count = parts.len();
                        view! {
                            <th
                                data-col=name.clone()
                                data-group=c.group.as_str()
                                class:num=c.numeric
                                aria-sort=aria
                                tabindex="0"
                                title="Sort by this column (again to reverse)"
                                on:click=move |_| by()
                                on:keydown=key
                            >
                                <span class="name" data-unit=c.unit>
                                    {parts
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, part)| view! { {part} {(i + 1 < count).then(|| view! { <wbr/> })} })
                                        .collect_view()}
                                </span>
                            </th>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="columns">
                        "Columns: "
                        {toggle(ColumnGroup::Times, "fit and score times")}
                        {toggle(ColumnGroup::Folds, "per-fold test scores")}
                        {has_train.then(|| toggle(ColumnGroup::Train, "train scores"))}
                    </div>
                    <div class="scroll">
                        <table
                            data-testid="results-table"
                            class="results"
                            class:hide-times=hides(ColumnGroup::Times)
                            class:hide-folds=hides(ColumnGroup::Folds)
                            class:hide-train=hides(ColumnGroup::Train)
                        >
                            <thead><tr>{headers}</tr></thead>
                            <tbody>
                                <For each=rows key=|row| row.candidate let:row>
                                    <tr class:best=best == Some(row.candidate) class:unscored=!row.scored data-candidate=row.candidate>
                                        {row
                                            .cells
                                            .into_iter()
                                            .zip(columns.clone())
                                            .map(|(cell, col)| {
                                                let params = col.name == "params";
                                                view! {
                                                    <td
                                                        data-col=col.name
                                                        data-value=cell.exact
                                                        data-group=col.group.as_str()
                                                        class:num=col.numeric
                                                        class:params=params
                                                    >
                                                        {cell.text}
                                                    </td>
                                                }
                                            })
                                            .collect_view()}
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                }
            })
        })
    }
}
