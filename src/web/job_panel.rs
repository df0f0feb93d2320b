//! The job panel: the form for the common settings beside the full TOML
//! config, kept in sync both ways; the engine's error for an invalid config
//! next to the editor; import, export and a share link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::browser::{copy_text, download, file_text, page_url};
use super::config_form::ConfigForm;
use super::exports::config_export;
use super::job_form::line_span;
use super::share::share_link;
use super::state::Config;

/// A share link and the config text it was made from: it is shown only
/// while the editor still holds that text.
#[derive(Clone, PartialEq)]
struct Shared {
    text: String,
    link: String,
    copied: Option<Result<(), String>>,
}

/// The job panel.
#[component]
pub fn JobPanel(
    config: Config,
    /// Why the share link the page was opened with could not be read.
    link_error: ReadSignal<Option<String>>,
    /// The form's fields that are not part of the config (see [`ConfigForm`]).
    #[prop(into)]
    reporting_fields: ViewFnOnce,
) -> impl IntoView {
    // What the last import, export or share did (a note, or an error), with
    // the text it was about: it goes when the text changes.
    let notice = RwSignal::new(None::<(String, Result<String, String>)>);
    let tell = move |outcome: Result<String, String>| notice.set(Some((config.text.get_untracked(), outcome)));
    let shared = RwSignal::new(None::<Shared>);

    let import = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            match file_text(&file).await {
                Ok(text) => {
                    // As the editor holds it: a textarea keeps LF line ends only.
                    config.text.set(text.replace("\r\n", "\n"));
                    tell(Ok(format!("imported {}", file.name())));
                }
                Err(e) => tell(Err(e)),
            }
        });
    };

    let export = move |_| {
        let outcome = config_export(&config.text.get_untracked()).and_then(|file| {
            download(file.name, file.mime, &file.text)?;
            Ok(file.note)
        });
        tell(outcome);
    };

    let copy_link = move |_| {
        let job = match config.parsed.get_untracked() {
            Ok(job) => job,
            Err(e) => {
                tell(Err(format!("fix the config before sharing it: {e}")));
                return;
            }
        };
        notice.set(None);
        let link = share_link(&page_url(), &job.shareable_config());
        shared.set(Some(Shared { text: config.text.get_untracked(), link: link.clone(), copied: None }));
        spawn_local(async move {
            let copied = copy_text(&link).await;
            shared.update(|s| {
                if let Some(s) = s.as_mut().filter(|s| s.link == link) {
                    s.copied = Some(copied);
                }
            });
        });
    };

    let status = move || config.status.get();

    view! {
        <section class="panel job" id="job-panel">
            <div class="panel-head">
                <h2>"Job"</h2>
                <div class="toolbar">
                    <label class="button secondary">
                        "Import config"
                        <input
                            type="file"
                            class="visually-hidden"
                            accept=".toml,.json,.yaml,.yml,.txt,application/json,application/yaml,text/plain"
                            data-testid="import-config"
                            on:change=import
                        />
                    </label>
                    <button class="secondary" data-testid="export-config" on:click=export>"Export config"</button>
                    <button
                        class="secondary"
                        data-testid="copy-link-button"
                        title="A link with this job in it (never the data, never a webhook URL)"
                        on:click=copy_link
                    >
                        "Copy link"
                    </button>
                </div>
            </div>
            {move || {
                shared
                    .get()
                    .filter(|s| config.text.with(|t| *t == s.text))
                    .map(|s| {
                        let copied = match &s.copied {
                            None => "",
                            Some(Ok(())) => "Copied to the clipboard.",
                            Some(Err(_)) => "The browser did not allow copying: copy the link from here.",
                        };
                        view! {
                            <div class="share">
                                <p>
                                    "Link to this job (the config only: no data, no webhook URL). " {copied}
                                </p>
                                <a data-testid="share-link" href=s.link.clone()>{s.link.clone()}</a>
                            </div>
                        }
                    })
            }}
            {move || {
                notice
                    .get()
                    .filter(|(text, _)| config.text.with(|t| t == text))
                    .map(|(_, n)| match n {
                        Ok(note) => view! { <p class="muted">{note}</p> }.into_any(),
                        Err(e) => view! { <p class="error" data-testid="error">{e}</p> }.into_any(),
                    })
            }}
            {move || link_error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            <div class="job-body">
                <ConfigForm config=config reporting_fields=reporting_fields/>
                <div class="editor">
                    <label for="config-editor" class="editor-label">
                        <strong>"Config (TOML)"</strong>
                        <span class="muted">
                            " The whole job. Editing the form rewrites this text: its comments and layout are not kept."
                        </span>
                    </label>
                    <textarea
                        id="config-editor"
                        data-testid="config-editor"
                        spellcheck="false"
                        aria-describedby="config-status"
                        aria-invalid=move || status().is_err().then_some("true")
                        prop:value=move || config.text.get()
                        on:input:target=move |ev| config.text.set(ev.target().value())
                    ></textarea>
                    <div id="config-status">
                        {move || match status() {
                            Ok(n) => {
                                view! {
                                    <p class="ok">
                                        "Valid: " {n} {if n == 1 { " candidate" } else { " candidates" }}
                                    </p>
                                }
                                    .into_any()
                            }
                            Err((e, line)) => {
                                view! {
                                    <p class="error" data-testid="error">
                                        {e}
                                        {line.map(|line| view! {
                                            " "
                                            <button type="button" class="secondary small" data-testid="go-to-line" on:click=move |_| go_to_line(line)>
                                                {format!("Go to line {line}")}
                                            </button>
                                        })}
                                    </p>
                                }
                                    .into_any()
                            }
                        }}
                    </div>
                </div>
            </div>
        </section>
    }
}

/// Selects line `line` (1-based) of the config editor and focuses it, so the
/// line an error names is the one in view.
fn go_to_line(line: usize) {
    let Some(editor) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("config-editor"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let (start, end) = line_span(&editor.value(), line);
    let _ = editor.focus();
    let _ = editor.set_selection_range(start, end);
}
