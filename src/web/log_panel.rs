//! The log panel: the job's log lines, each with its level as a badge.

use leptos::prelude::*;

use super::browser::LogLine;

/// The log panel.
#[component]
pub fn LogPanel(log: ReadSignal<Vec<LogLine>>) -> impl IntoView {
    view! {
        <section class="panel log">
            <h2>"Log"</h2>
            {move || log.with(Vec::is_empty).then(|| view! { <p class="muted">"The job's steps appear here when it runs."</p> })}
            <ol data-testid="log">
                <For each=move || log.get().into_iter().enumerate() key=|(i, _)| *i let:((_, line))>
                    <li class=format!("level-{}", line.level.as_str().to_lowercase())>
                        <span class="badge">{line.level.as_str()}</span>
                        " "
                        <span class="message">{line.message}</span>
                    </li>
                </For>
            </ol>
        </section>
    }
}
