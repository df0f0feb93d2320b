//! The run panel: what the run bar's run did, in detail: each candidate's
//! fold scores as they finish, where tracking and the alert went, and why a
//! run failed (until the job or its files change).

use leptos::prelude::*;

use super::format::format_number;
use super::reporting::{Credentials, DeliveryStatus};
use super::state::{LiveSearch, ParsedConfig, Run, RunState, live_cell};

/// The run panel.
#[component]
pub fn RunPanel(
    /// The job in the editor (for sending results again).
    config: ParsedConfig,
    /// The last run.
    run: RwSignal<Run>,
    /// For MLflow behind authentication.
    credentials: Credentials,
) -> impl IntoView {
    let state = Memo::new(move |_| run.with(Run::state));
    let error = Memo::new(move |_| run.with(|r| r.error().map(str::to_string)));
    let shows_live_table = Memo::new(move |_| run.with(Run::shows_live_table));
    view! {
        <section class="panel run" id="run-panel">
            <h2 class="visually-hidden">"Run"</h2>
            {move || {
                (state.get() == RunState::Idle)
                    .then(|| view! { <p class="hint">"Each candidate's fold scores show here as they finish."</p> })
            }}
            {move || {
                (state.get() == RunState::Cancelled)
                    .then(|| view! {
                        <p class="hint">"Cancelled: the results below keep every fit that finished; the others show —."</p>
                    })
            }}
            {move || error.get().map(|e| view! { <p class="error" data-testid="error">{e}</p> })}
            <DeliveryStatus config=config run=run credentials=credentials/>
            {move || shows_live_table.get().then(|| view! { <LiveTable run=run.read_only()/> })}
        </section>
    }
}

/// Each candidate's fold scores as they finish, and the mean so far.
#[component]
fn LiveTable(run: ReadSignal<Run>) -> impl IntoView {
    let n_folds = Memo::new(move |_| run.with(|r| r.live().map_or(0, LiveSearch::n_folds)));
    let n_candidates = Memo::new(move |_| run.with(|r| r.live().map_or(0, |l| l.candidates.len())));
    view! {
        <div class="scroll">
            <table class="live" data-testid="live-table">
                <thead>
                    <tr>
                        <th class="num">"#"</th>
                        <th>"params"</th>
                        {move || (0..n_folds.get()).map(|k| view! { <th class="num">{format!("split{k}")}</th> }).collect_view()}
                        <th class="num">"mean so far"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || 0..n_candidates.get() key=|c| *c let:c>
                        <LiveRowView candidate=c run=run/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One candidate's live row; it re-renders only when its own scores change.
#[component]
fn LiveRowView(candidate: usize, run: ReadSignal<Run>) -> impl IntoView {
    let row = Memo::new(move |_| run.with(|r| r.live().and_then(|l| l.row(candidate))));
    move || {
        row.get().map(|r| {
            let complete = !r.folds.is_empty() && r.folds.iter().all(Option::is_some);
            view! {
                <tr class:complete=complete>
                    <td class="num">{candidate}</td>
                    <td class="params">{r.params}</td>
                    {r
                        .folds
                        .into_iter()
                        .map(|s| view! { <td class="num" class:pending=s.is_none()>{live_cell(s)}</td> })
                        .collect_view()}
                    <td class="num mean">{r.mean.map(format_number).unwrap_or_else(|| "·".into())}</td>
                </tr>
            }
        })
    }
}
