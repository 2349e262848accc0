// toolkit review: the page script. Plain JavaScript, no build step.
// Every catalog string is put into the page with textContent (never innerHTML); rendered HTML
// e-mails go into sandboxed iframes (no scripts, no same-origin access).
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const MARK_START = "\ue000";
  const MARK_END = "\ue001";

  // A state badge; a draft translate took from a human translation in the memory reads "tm"
// (it is listed with the machine translations under the "mt" filter).
function badge(entry, state) {
  if (state === "mt" && entry.mt && entry.mt.kind === "tm") {
    return el("span", { className: "badge mt", text: "tm", title: "human translation from the translation memory" });
  }
  return el("span", { className: "badge " + state, text: state });
}

function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Bidi embeddings, overrides and isolates shown as what they are: a source with U+202E read
  // "RTL exe.txt override" for "RTL \u202etxt.exe\u202c override" (QA pass 80).
  function shown(text) {
    return text.replace(/[\u202a-\u202e\u2066-\u2069]/g,
      (c) => "\u27e8U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u27e9");
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
    } catch (error) {
      // Stopped server or a page being left: say so instead of failing silently.
      return { status: 0, ok: false, body: { error: "the review server did not answer: " + error.message } };
    }
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = { error: "the server sent no JSON (" + response.status + ")" };
    }
    return { status: response.status, ok: response.ok, body: body };
  }

  function enc(value) {
    return encodeURIComponent(value);
  }

  // -- queue ---------------------------------------------------------------------------------
  const STATE_LABELS = {
    review: "needs review",
    fuzzy: "fuzzy",
    untranslated: "untranslated",
    mt: "machine-translated",
    findings: "with findings",
    all: "all",
  };

  function queuePage() {
    const params = new URLSearchParams(location.search);
    let state = params.get("state") || "review";
    const search = document.getElementById("search");
    search.value = params.get("q") || "";
    let selected = 0;
    let timer = null;

    async function load() {
      const query = "state=" + enc(state) + (search.value ? "&q=" + enc(search.value) : "");
      history.replaceState(null, "", location.pathname + "?" + query);
      const result = await api("/api/" + enc(data.locale) + "/entries?" + query);
      const status = document.getElementById("status");
      if (!result.ok) {
        status.textContent = result.body.error;
        status.className = "error";
        return;
      }
      const filters = document.getElementById("filters");
      filters.replaceChildren();
      for (const [name, label] of Object.entries(STATE_LABELS)) {
        const link = el("a", {
          href: "?state=" + name,
          className: name === state ? "filter active" : "filter",
          "data-state": name,
        }, label + " ", el("span", { className: "count", text: result.body.counts[name] }));
        link.addEventListener("click", (event) => {
          event.preventDefault();
          state = name;
          selected = 0;
          load();
        });
        filters.append(link);
      }
      const body = document.getElementById("entries");
      body.replaceChildren();
      for (const entry of result.body.entries) {
        const href = "/" + enc(data.locale) + "/" + entry.id + "?state=" + enc(state);
        const row = el("tr", { "data-id": entry.id },
          el("td", { lang: "en" }, el("a", { href: href, text: shown(entry.msgid) })),
          el("td", { className: "msgstr", text: entry.msgstr.some((s) => s) ? shown(entry.msgstr.join(" | ")) : "" }),
          el("td", { lang: "en" }, ...entry.states.map((s) => badge(entry, s))),
        );
        body.append(row);
      }
      status.className = "";
      status.textContent = result.body.entries.length + " entries";
      highlight();
    }

    function rows() {
      return Array.from(document.querySelectorAll("#entries tr"));
    }

    function highlight() {
      const all = rows();
      all.forEach((row, index) => row.classList.toggle("selected", index === selected));
      if (all[selected]) all[selected].scrollIntoView({ block: "nearest" });
    }

    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { selected = 0; load(); }, 200);
    });
    document.addEventListener("keydown", (event) => {
      if (event.target === search) {
        if (event.key === "Escape" || event.key === "Enter") search.blur();
        return;
      }
      const all = rows();
      if (event.key === "j") selected = Math.min(selected + 1, all.length - 1);
      else if (event.key === "k") selected = Math.max(selected - 1, 0);
      else if (event.key === "Enter" && all[selected]) {
        all[selected].querySelector("a").click();
        return;
      } else if (event.key === "/") {
        event.preventDefault();
        search.focus();
        return;
      } else return;
      highlight();
    });
    load();
  }

  // -- entry ---------------------------------------------------------------------------------
  function entryPage() {
    const state = new URLSearchParams(location.search).get("state") || "review";
    const base = "/api/" + enc(data.locale) + "/entries/" + data.id;
    let entry = null;
    let revision = null;
    let entryVersion = null;
    let sequence = 0;
    let timer = null;
    let kept = null;  // the forms as last loaded or saved: anything else is unsaved work
    let leaving = false;
    const message = document.getElementById("message");

    function say(text, kind) {
      message.textContent = text;
      message.className = kind || "";
    }

    function pageUrl(id) {
      return "/" + enc(data.locale) + (id ? "/" + id : "") + "?state=" + enc(state);
    }

    function textWithPlaceholders(target, segments) {
      target.replaceChildren();
      for (const part of segments) {
        target.append(part.kind ? el("span", { className: "ph ph-" + part.kind, title: part.kind, text: shown(part.text) }) : shown(part.text));
      }
    }

    function forms() {
      return Array.from(document.querySelectorAll("#forms textarea")).map((area) => area.value);
    }

    // Typed text went away without a word on Alt+J/K/Q or a link to another entry (QA pass
    // 80): leaving with unsaved text asks first.
    function unsaved() {
      return kept !== null && JSON.stringify(forms()) !== kept;
    }

    function go(url) {
      if (unsaved() && !window.confirm("Your changes to this entry are not saved. Leave without saving?")) return;
      leaving = true;
      location.href = url;
    }

    window.addEventListener("beforeunload", (event) => {
      if (!leaving && unsaved()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    async function load() {
      const result = await api(base + "?state=" + enc(state));
      if (!result.ok) {
        say(result.body.error, "error");
        return;
      }
      entry = result.body;
      revision = entry.revision;
      entryVersion = entry.entry_version;
      document.getElementById("back").href = pageUrl(null);
      const prev = document.getElementById("prev");
      const next = document.getElementById("next");
      prev.href = entry.previous_id ? pageUrl(entry.previous_id) : "";
      prev.hidden = !entry.previous_id;
      next.href = entry.next_id ? pageUrl(entry.next_id) : "";
      next.hidden = !entry.next_id;
      document.getElementById("position").textContent =
        entry.queue + " queue: " + (entry.queue_position + 1) + " of " + entry.queue_total +
        " · catalog entry " + (entry.position + 1) + " of " + entry.total + " · line " + entry.line;

      const context = document.getElementById("context");
      context.replaceChildren(...[
        // A string used in forty templates listed them all above the text to review: the
        // first five, and the rest on request.
        el("div", { className: "meta" }, "from ", entry.locations.slice(0, 5).join(", ") || "no reference",
          entry.locations.length > 5 ? el("details", { className: "more-locations" },
            el("summary", { text: " and " + (entry.locations.length - 5) + " more" }),
            entry.locations.slice(5).join(", ")) : null),
        entry.msgctxt ? el("p", { className: "meta" }, "context: ", el("code", { text: entry.msgctxt })) : null,
        el("p", { className: "meta", id: "states" }, ...entry.states.map((s) => badge(entry, s)),
          entry.reviewed ? el("span", { className: "badge reviewed", text: "reviewed: " + entry.reviewed }) : null),
      ].filter(Boolean));
      textWithPlaceholders(document.getElementById("source"), entry.source_segments);
      const plural = document.getElementById("source-plural");
      if (entry.plural_segments) textWithPlaceholders(plural, entry.plural_segments);
      plural.hidden = !entry.plural_segments;

      const previous = document.getElementById("previous");
      previous.replaceChildren();
      if (entry.previous) {
        const diff = el("p", { className: "diff text" });
        for (const run of entry.previous.diff) {
          diff.append(run.op === "equal" ? run.text : el(run.op === "insert" ? "ins" : "del", { text: run.text }));
        }
        previous.append(el("h3", { text: "Source changed since the translation (fuzzy match)" }), diff);
      }
      const comments = document.getElementById("comments");
      comments.replaceChildren(...entry.auto_comments.map((c) => el("li", { text: c })));

      const mt = document.getElementById("mt");
      mt.replaceChildren();
      if (entry.mt) {
        if (entry.mt.kind === "tm") {
          // A human translation translate took from the memory (a vendor's TMX): no engine, no score.
          mt.append(el("p", { className: "mt" }, "Translation memory suggestion: ",
            el("strong", { text: "human translation" }), " " + entry.mt.comment.replace(/^mt:\s*memory:\s*human translation\s*/, "")));
        } else {
          const score = entry.mt.score === null ? "no score" : "score " + entry.mt.score.toFixed(2);
          mt.append(el("p", { className: "mt" }, "Machine translation suggestion: ",
            el("strong", { text: entry.mt.engine }), " " + entry.mt.detail + " · " + score));
        }
        for (const note of entry.mt.notes) mt.append(el("p", { className: "warning", text: "glossary: " + note }));
      }

      const box = document.getElementById("forms");
      box.replaceChildren();
      entry.msgstr.forEach((text, index) => {
        const examples = entry.plural_examples[index] || [];
        const label = entry.msgid_plural === null ? "msgstr" :
          "msgstr[" + index + "] · " + (examples.length
            ? "n = " + examples.join(", ") + (examples.length >= 3 ? ", …" : "")
            : "no number picks this form");
        const area = el("textarea", { id: "msgstr-" + index, rows: 4, "aria-label": label, lang: data.locale.replace("_", "-") });
        area.value = text;
        area.addEventListener("input", schedule);
        box.append(el("label", { className: "form", for: "msgstr-" + index, lang: "en", text: label }), area);
      });

      const glossary = document.getElementById("glossary");
      glossary.replaceChildren(...entry.glossary.map((term) => el("li", {},
        el("strong", { text: term.shown }),
        term.forms.length ? " · forms: " + term.forms.join(", ") : "",
        term.note ? el("span", { className: "note", text: " — " + term.note }) : null)));
      if (!entry.glossary.length) glossary.append(el("li", { className: "meta", text: "no glossary terms in this source" }));
      const first = box.querySelector("textarea");
      if (first) first.focus();
      kept = JSON.stringify(forms());
      refresh();
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    }

    async function refresh() {
      const mine = ++sequence;
      const query = forms().map((text) => "msgstr=" + enc(text)).join("&");
      // A long text goes in a POST body: a URL past the server's limit was reset.
      const result = query.length < 6000 ? await api(base + "/preview?" + query) :
        await api(base + "/preview", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ msgstr: forms() }),
        });
      if (mine !== sequence) return; // a newer keystroke is on its way
      if (!result.ok) {
        say(result.body.error, "error");
        return;
      }
      showFindings(result.body.findings);
      showBudget(result.body.budget);
      showPreview(result.body.preview);
    }

    function showFindings(findings) {
      const list = document.getElementById("findings");
      list.replaceChildren(...findings.map((f) => el("li", { className: f.severity },
        el("span", { className: "badge " + f.severity, text: f.severity }), " " + f.check + ": " + f.message)));
      if (!findings.length) list.append(el("li", { className: "ok", text: "no findings" }));
    }

    function showBudget(rows) {
      const table = document.getElementById("budget");
      table.replaceChildren();
      for (const row of rows) {
        let text = row.units + " / " + row.limit;
        if (row.part === "sms") {
          text = row.encoding + " · " + row.units + " units · " + row.segments + (row.segments === 1 ? " segment" : " segments");
        }
        table.append(el("tr", { className: row.over ? "over" : "", "data-part": row.part },
          el("th", { text: row.part }), el("td", { className: "scope", text: row.scope }),
          el("td", { className: "value", text: text })));
      }
      if (!rows.length) table.append(el("tr", {}, el("td", { className: "meta", text: "no channel limits for this entry" })));
    }

    function showPreview(messages) {
      const box = document.getElementById("preview");
      box.replaceChildren();
      if (!messages.length) box.append(el("p", { className: "meta", text: "not used in a message template with sample data" }));
      for (const [index, item] of messages.entries()) {
        // The first three messages open, the others one click away: twenty previews of a
        // common string made the page 20,000 pixels tall.
        const card = el("details", { className: "message", open: index < 3 },
          el("summary", {}, el("h3", { text: item.template })));
        if (item.error) {
          card.append(el("p", { className: "error", text: item.error }));
        } else {
          const marked = item.marked || {};
          for (const [part, text] of Object.entries(item.parts)) {
            if (part === "html") {
              const frame = el("iframe", { sandbox: "", title: item.template + " HTML e-mail", className: "html" });
              // The markers are private-use characters the server put around this entry's
              // text in an escaped rendering; they become <mark> tags and nothing else does.
              frame.srcdoc = marked.html ? marked.html.split(MARK_START).join("<mark>").split(MARK_END).join("</mark>") : text;
              card.append(el("h4", { text: "html" }), frame);
            } else {
              const pre = el("pre", { className: "part part-" + part, lang: data.locale.replace("_", "-"), "data-text": text });
              if (marked[part]) {
                for (const [index, piece] of marked[part].split(MARK_START).entries()) {
                  const [inside, after] = index === 0 ? [null, piece] : piece.split(MARK_END);
                  if (inside !== null) pre.append(el("mark", { text: inside }));
                  if (after) pre.append(after);
                }
              } else {
                pre.textContent = text;
              }
              card.append(el("h4", { text: part }), pre);
            }
          }
          if (!Object.keys(marked).length) {
            card.append(el("p", { className: "meta", text: "This entry does not show in this message with its sample data (a branch the sample does not take)." }));
          }
          for (const warning of item.warnings) card.append(el("p", { className: "warning", text: warning }));
        }
        box.append(card);
      }
    }

    async function post(payload) {
      payload.revision = revision;
      // The entry as loaded: a colleague's save of another entry is then no conflict.
      payload.entry_version = entryVersion;
      const result = await api(base, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(payload),
      });
      if (result.status === 409) {
        say(result.body.error + " Your text is still in the box; reload to see theirs.", "error conflict");
      } else if (result.status === 422 && result.body.findings) {
        showFindings(result.body.findings);
        say(result.body.error, "error");
      } else if (!result.ok) {
        say(result.body.error, "error");
      }
      return result;
    }

    async function save(approve) {
      const force = document.getElementById("force").checked;
      const result = await post({ msgstr: forms(), approve: approve, force: force });
      if (!result.ok) return;
      revision = result.body.revision;
      entryVersion = result.body.entry_version;
      kept = JSON.stringify(forms());
      if (approve) {
        say("Approved.", "ok");
        go(entry.next_id ? pageUrl(entry.next_id) : pageUrl(null));
      } else {
        say("Saved.", "ok");
        showFindings(result.body.findings);
      }
    }

    async function reject() {
      // Reject empties the entry: an approved translation someone reviewed is asked about
      // first (one keystroke emptied one; QA pass 80).
      if (entry && !entry.states.includes("fuzzy") && !entry.mt && entry.msgstr.some((t) => t) &&
          !window.confirm("This translation is approved, not a suggestion. Reject it and leave the entry untranslated?")) return;
      const result = await post({ reject: true });
      if (!result.ok) return;
      say("Suggestion rejected; the entry is untranslated now.", "ok");
      await load();
    }

    document.getElementById("approve").addEventListener("click", () => save(true));
    document.getElementById("save").addEventListener("click", () => save(false));
    document.getElementById("reject").addEventListener("click", reject);
    document.addEventListener("keydown", (event) => {
      const key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        save(true);
      } else if ((event.ctrlKey || event.metaKey) && key === "s") {
        event.preventDefault();
        save(false);
      } else if (event.altKey && key === "r") {
        event.preventDefault();
        reject();
      } else if (event.altKey && key === "j" && entry && entry.next_id) {
        event.preventDefault();
        go(pageUrl(entry.next_id));
      } else if (event.altKey && key === "k" && entry && entry.previous_id) {
        event.preventDefault();
        go(pageUrl(entry.previous_id));
      } else if (event.altKey && key === "q") {
        event.preventDefault();
        go(pageUrl(null));
      }
    });
    load();
  }

  if (data.page === "queue") queuePage();
  else if (data.page === "entry") entryPage();
})();
