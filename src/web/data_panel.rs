//! The data panel: pick or drop the inputs and targets CSVs, or load a
//! bundled demo. Shows each file's name, shape, columns and first rows, and
//! the engine's own errors in place (file, row and column), including the
//! check the job will make on the pair with the current config.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};

use super::browser::{fetch_bytes, file_bytes};
use super::preview::Loaded;
use super::state::{CLASSIFICATION_DEMO, Config, DEMO_FILES, Files, PairCheck, REGRESSION_DEMO};

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
                    Ok(bytes) => fetched.push(Loaded::new(name, bytes)),
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
                "CSV files with a header row and numeric columns. They are read in this tab and never uploaded; "
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
                <FileDrop label="Inputs CSV" testid="inputs-file" picked=files.inputs error=error/>
                <FileDrop label="Targets CSV" testid="targets-file" picked=files.targets error=error/>
            </div>
            {move || {
                pair.get()
                    .map(|check| match check {
                        Ok(summary) => view! { <p class="ok">"Ready: " {summary}</p> }.into_any(),
                        Err(e) => view! { <p class="error" data-testid="error">{e}</p> }.into_any(),
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
        </section>
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
    let take = move |file: web_sys::File| {
        error.set(None);
        spawn_local(async move {
            match file_bytes(&file).await {
                Ok(bytes) => picked.set(Some(Loaded::new(&file.name(), bytes))),
                Err(e) => error.set(Some(e)),
            }
        });
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
                    accept=".csv,.tsv,.txt,text/csv"
                    data-testid=testid
                    on:change=on_change
                />
            </label>
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
            view! {
                <div class="preview">
                    <p class="file-name"><strong>{preview.name}</strong></p>
                    <p class:error=failed data-testid=if failed { "error" } else { "shape" }>{shape}</p>
                    <div class="scroll" class:hidden=failed>
                        <table class="head">
                            <thead>
                                <tr>{preview.columns.into_iter().map(|c| view! { <th>{c}</th> }).collect_view()}</tr>
                            </thead>
                            <tbody>
                                {preview
                                    .head
                                    .into_iter()
                                    .map(|row| {
                                        view! {
                                            <tr>{row.into_iter().map(|v| view! { <td class="num">{v}</td> }).collect_view()}</tr>
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
