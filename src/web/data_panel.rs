//! The data panel: pick or drop the inputs and targets files (CSV or Parquet), or load a
//! bundled demo. Shows each file's name, shape, columns and first rows, and
//! the engine's own errors in place (file, row and column), including the
//! check the job will make on the pair with the current config.

use std::sync::Arc;

use futures_channel::oneshot;
use futures_util::future::{Either, select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DragEvent, HtmlInputElement};

use super::browser::fetch_bytes;
use super::job_form::{Edit, edit as make_edit};
use super::js::yield_to_event_loop;
use super::preview::{Loaded, reading_text};
use super::protocol::ReadRequest;
use super::reader::read_in_worker;
use super::state::{CLASSIFICATION_DEMO, Config, DEMO_FILES, Files, PairCheck, REGRESSION_DEMO};
use crate::core::preprocess::suggest;
use crate::io::reading::{FileFormat, ReadProgress};
use crate::io::table::Table;

/// Rows of each file shown in its preview.
const PREVIEW_ROWS: usize = 5;

/// The data panel. `from_link`: the job came from a share link, which holds
/// no data; the panel then offers the demo files without replacing the job.
#[component]
pub fn DataPanel(files: Files, config: Config, from_link: RwSignal<bool>, pair: PairCheck) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let loading = files.loading;
    // Loads the demo files, and the demo's job unless `job` is `None`. With
    // `keep_picked`, files the person picked meanwhile win over the demo's.
    let load_demo = move |job: Option<&'static str>, keep_picked: bool| {
        error.set(None);
        loading.set(true);
        if let Some(job) = job {
            from_link.set(false);
            config.text.set(job.to_string());
        }
        spawn_local(async move {
            let mut fetched = Vec::new();
            for name in DEMO_FILES {
                match fetch_bytes(&format!("./demos/{name}")).await {
                    Ok(bytes) => fetched.push(Loaded::bundled_csv(name, bytes)),
                    Err(e) => error.set(Some(format!("the demo's data could not be loaded: {e}; pick your own files"))),
                }
            }
            let picked = files.inputs.with_untracked(Option::is_some) || files.targets.with_untracked(Option::is_some);
            if let Ok([inputs, targets]) = <[Loaded; 2]>::try_from(fetched)
                && !(keep_picked && picked)
            {
                files.inputs.set(Some(inputs));
                files.targets.set(Some(targets));
            }
            loading.set(false);
        });
    };
    // The job shown on first load is the regression demo: its data comes with it, so Run works at once.
    if !from_link.get_untracked() && config.text.with_untracked(|t| t == REGRESSION_DEMO) {
        load_demo(None, true);
    }

    // One edit of the job from this panel, written into the editor as the form writes it.
    let edit_job = move |e: Edit| {
        let Ok(job) = config.parsed.get_untracked() else { return };
        if let Some(text) = make_edit(job.config(), &e).text {
            config.text.set(text);
        }
    };
    // The preprocessing the inputs need when the job has none.
    let suggestion = Memo::new(move |_| {
        let bare = config.parsed.with(|p| p.as_ref().is_ok_and(|j| j.config().preprocess.is_none()));
        let table =
            files.inputs.with(|x| x.as_ref().filter(|l| l.needs_preprocess()).and_then(|l| l.table.clone().ok()))?;
        bare.then(|| suggest(&table.columns, &table.data)).flatten()
    });
    let accept_suggestion = move |_| {
        if let Some(section) = suggestion.get_untracked() {
            edit_job(Edit::Preprocess(Some(section)));
        }
    };
    // The targets file's columns and the one the job predicts.
    let target_columns = Memo::new(move |_| {
        files.targets.with(|y| y.as_ref().and_then(|l| l.table.as_ref().ok()).map(|t| t.columns.clone()))
    });
    let target_column = Memo::new(move |_| {
        config.parsed.with(|p| p.as_ref().ok().and_then(|j| j.config().targets.file().column.clone()))
    });
    let set_target = move |column: Option<String>| {
        let text = column.map(|c| toml::Value::String(c).to_string()).unwrap_or_default();
        edit_job(Edit::Set { key: "targets.column".into(), text });
    };
    let pick_target = Callback::new(move |column: String| set_target(Some(column)));
    // A new targets file without the job's column: predict its first column
    // (or, with one column, say none), rather than keep the demo's.
    Effect::new(move |_| {
        let Some(columns) = target_columns.get() else { return };
        let current = target_column.get_untracked();
        let fits = match &current {
            Some(c) => columns.contains(c),
            None => columns.len() == 1,
        };
        if !fits {
            set_target((columns.len() > 1).then(|| columns[0].clone()));
        }
    });

    // The readers' KINDs follow the picked files' formats, so that the job
    // (and an exported config) says what each file is. Runs when a file is
    // picked; a config that already agrees is left as written.
    Effect::new(move |_| {
        for (side, picked) in [("inputs", files.inputs), ("targets", files.targets)] {
            let Some(format) = picked.with(|l| l.as_ref().map(|l| l.format)) else { continue };
            let written = config.parsed.with_untracked(|p| {
                p.as_ref()
                    .ok()
                    .map(|j| if side == "inputs" { j.config().inputs.format() } else { j.config().targets.format() })
            });
            if written.is_some_and(|w| w != format) {
                edit_job(Edit::Set { key: format!("{side}.KIND"), text: format.reader_kind().into() });
            }
        }
    });

    // Syncs with the outside: a file dropped beside the drop zones would make
    // the browser leave the page to open it.
    let guard = |ev: DragEvent| {
        let carries_files = ev.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0));
        if carries_files {
            ev.prevent_default();
        }
    };
    let over = window_event_listener(leptos::ev::dragover, guard);
    let dropped = window_event_listener(leptos::ev::drop, guard);
    on_cleanup(move || {
        over.remove();
        dropped.remove();
    });

    view! {
        <section class="panel data" id="data-panel">
            <div class="panel-head">
                <h2>"Data"</h2>
                <div class="toolbar">
                    <span class="muted">"Demos (RAND Health Insurance Experiment):"</span>
                    <button
                        class="secondary"
                        data-testid="demo-button"
                        title="Random forest predicting the number of outpatient visits (mdvis)"
                        disabled=move || loading.get()
                        on:click=move |_| load_demo(Some(REGRESSION_DEMO), false)
                    >
                        "Regression"
                    </button>
                    <button
                        class="secondary"
                        data-testid="demo-classification-button"
                        title="Decision tree predicting whether a person saw a doctor (any_visit)"
                        disabled=move || loading.get()
                        on:click=move |_| load_demo(Some(CLASSIFICATION_DEMO), false)
                    >
                        "Classification"
                    </button>
                </div>
            </div>
            <p class="muted">
                "CSV files with a header row, or Parquet files; text and blank cells are fine with a preprocessing section. They are read in this tab and never uploaded; "
                "the job reads them in place of the paths in its config."
            </p>
            {move || {
                let nothing_picked = files.inputs.with(Option::is_none) && files.targets.with(Option::is_none);
                (from_link.get() && nothing_picked)
                    .then(|| {
                        view! {
                            <p class="share">
                                "This job came from a link, which never holds data: pick its files below, or "
                                <button class="secondary small" disabled=move || loading.get() on:click=move |_| load_demo(None, false)>
                                    "load the demo files"
                                </button>
                                " and keep this job."
                            </p>
                        }
                    })
            }}
            <div class="files">
                <FileDrop label="Inputs file" testid="inputs-file" picked=files.inputs error=error/>
                <div class="file-column">
                    <FileDrop label="Targets file" testid="targets-file" picked=files.targets error=error/>
                    <TargetPicker columns=target_columns chosen=target_column pick=pick_target/>
                </div>
            </div>
            {move || {
                pair.get()
                    .map(|check| match check {
                        Ok(summary) => view! { <p class="ok">"Ready: " {summary}</p> }.into_any(),
                        Err(e) => view! { <p class="error" data-testid="error">{e}</p> }.into_any(),
                    })
            }}
            {move || {
                suggestion
                    .get()
                    .map(|_| {
                        view! {
                            <p class="suggest">
                                "The inputs have text or missing cells, which a model cannot take as they are. "
                                <button class="small" data-testid="suggest-preprocess" on:click=accept_suggestion>
                                    "Add the suggested preprocessing"
                                </button>
                                " (one-hot encoding for text, the median for blanks in numbers; edit it in the config)"
                            </p>
                        }
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
        </section>
    }
}

/// Reads a picked file in a reader worker, as the engine reads a data file.
async fn read_picked(name: &str, file: Blob, on_progress: &dyn Fn(ReadProgress)) -> Loaded {
    // The reader's KIND does not matter here: Parquet bytes are read as Parquet.
    let request = ReadRequest { name: name.to_string(), limit: None, format: FileFormat::Csv };
    let (format, table) = read_in_worker(&file, &request, on_progress).await;
    let table = table.map(Arc::new);
    let missing = count_missing_in_tasks(&table).await;
    Loaded::read(name, file, format, table, missing)
}

/// [`count_missing`](super::preview::count_missing), in tasks of at most about [`TASK_MS`]: a million-row
/// file's columns take longer than a frame to scan.
async fn count_missing_in_tasks(table: &Result<Arc<Table>, String>) -> Vec<usize> {
    let Ok(table) = table else { return Vec::new() };
    let now = || web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
    let mut started = now();
    let mut missing = Vec::with_capacity(table.data.len());
    for column in table.data.iter() {
        if now() - started > TASK_MS {
            yield_to_event_loop().await;
            started = now();
        }
        missing.push(column.n_missing());
    }
    missing
}

/// The longest the data panel works on a picked file's columns before it
/// lets the browser paint and handle input.
const TASK_MS: f64 = 16.0;

/// A file being read: its name, size and how far its reader has come.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    name: String,
    size: f64,
    progress: ReadProgress,
}

/// The targets file's columns, and the job's `targets.column`, as a picker.
#[component]
fn TargetPicker(
    columns: Memo<Option<Vec<String>>>,
    chosen: Memo<Option<String>>,
    pick: Callback<String>,
) -> impl IntoView {
    move || {
        columns.get().filter(|c| !c.is_empty()).map(|columns| {
            let current = chosen.get().unwrap_or_else(|| columns[0].clone());
            view! {
                <label class="target-picker">
                    "Column to predict "
                    <select data-testid="target-column" on:change=move |ev| pick.run(event_target_value(&ev))>
                        {columns
                            .into_iter()
                            .map(|c| {
                                let selected = c == current;
                                view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    }
}

/// A drop zone around a file input, and the preview of what it holds.
#[component]
fn FileDrop(
    label: &'static str,
    testid: &'static str,
    picked: RwSignal<Option<Loaded>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let reading = RwSignal::new(None::<Reading>);
    // The running read's stop: dropping it (Cancel, or a newer pick) ends that read and its worker.
    let stop = StoredValue::new(None::<oneshot::Sender<()>>);
    let take = move |file: web_sys::File| {
        error.set(None);
        let (stop_tx, stopped) = oneshot::channel::<()>();
        stop.set_value(Some(stop_tx));
        let name = file.name();
        reading.set(Some(Reading { name: name.clone(), size: file.size(), progress: ReadProgress::default() }));
        spawn_local(async move {
            let on_progress = move |progress| reading.update(|r| r.iter_mut().for_each(|r| r.progress = progress));
            let read = std::pin::pin!(read_picked(&name, file.into(), &on_progress));
            if let Either::Left((loaded, _)) = select(read, stopped).await {
                picked.set(Some(loaded));
                reading.set(None);
            }
        });
    };
    let cancel = move |_| {
        stop.set_value(None);
        reading.set(None);
    };
    let on_change = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            take(file);
        }
        input.set_value(""); // picking the same file again reloads it
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            take(file);
        }
    };
    view! {
        <div class="file">
            <label
                class="drop"
                class:over=move || over.get()
                on:dragover=move |ev: DragEvent| {
                    ev.prevent_default();
                    over.set(true);
                }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop
            >
                <span class="drop-label">{label}</span>
                <span class="drop-hint">
                    {move || if picked.with(Option::is_some) { "Choose or drop another file" } else { "Choose a file or drop it here" }}
                </span>
                <input
                    type="file"
                    class="visually-hidden"
                    accept=".csv,.tsv,.txt,text/csv,.parquet,.pq"
                    data-testid=testid
                    on:change=on_change
                />
            </label>
            {move || {
                reading
                    .get()
                    .map(|r| {
                        view! {
                            <p class="reading" data-testid="reading">
                                {reading_text(&r.name, r.size, r.progress)} " "
                                <button class="secondary small" data-testid="cancel-read" on:click=cancel>
                                    "Cancel"
                                </button>
                            </p>
                        }
                    })
            }}
            <PreviewTable loaded=picked/>
        </div>
    }
}

/// Name, shape, columns and first rows of a file, or its reading error.
#[component]
fn PreviewTable(loaded: RwSignal<Option<Loaded>>) -> impl IntoView {
    move || {
        loaded.with(|l| l.as_ref().map(|l| l.preview(PREVIEW_ROWS))).map(|preview| {
            let failed = preview.shape.is_err();
            let shape = preview.shape_text();
            let types = preview.types.clone();
            view! {
                <div class="preview">
                    <p class="file-name"><strong>{preview.name}</strong></p>
                    <p class:error=failed data-testid=if failed { "error" } else { "shape" }>{shape}</p>
                    <div class="scroll" class:hidden=failed>
                        <table class="head">
                            <thead>
                                <tr>{preview.columns.into_iter().map(|c| view! { <th>{c}</th> }).collect_view()}</tr>
                                <tr class="types" data-testid="column-types">
                                    {preview.types.iter().map(|t| view! { <th>{t.clone()}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {preview
                                    .head
                                    .into_iter()
                                    .map(|row| {
                                        let text = |j: usize| types.get(j).is_some_and(|t| t.starts_with("text"));
                                        view! {
                                            <tr>
                                                {row
                                                    .into_iter()
                                                    .enumerate()
                                                    .map(|(j, v)| view! { <td class:num=!text(j)>{v}</td> })
                                                    .collect_view()}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            }
        })
    }
}
