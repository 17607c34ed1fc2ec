// silobridge web chat: one conversation per browser (session id in localStorage), answers from POST /web/ask.
(function () {
  "use strict";
  const SESSION_KEY = "silobridge.session";
  const ROLE_KEY = "silobridge.role";
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const rolePicker = document.getElementById("role-picker");
  const roleSelect = document.getElementById("role");

  function newSessionId() {
    const bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function sessionId() {
    let id = localStorage.getItem(SESSION_KEY);
    if (!id) { id = newSessionId(); localStorage.setItem(SESSION_KEY, id); }
    return id;
  }

  function bubble(kind, text) {
    const div = document.createElement("div");
    div.className = "bubble " + kind;
    div.textContent = text;  // never innerHTML: answers are text
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function showAnswer(div, data) {
    div.className = "bubble bot answer";
    div.textContent = data.answer;
    div.lang = data.lang === "zh-HK" ? "zh-HK" : "en";
    (data.charts || []).forEach((chart) => {
      const img = document.createElement("img");
      img.src = chart.url;
      img.alt = chart.title || "chart";
      img.addEventListener("load", () => { log.scrollTop = log.scrollHeight; });
      div.appendChild(img);
    });
    if (data.sources && data.sources.length) {
      const note = document.createElement("div");
      note.className = "sources";
      note.textContent = (data.lang === "zh-HK" ? "來源：" : "Sources: ") +
        data.sources.map((s) => s.doc + " § " + s.section).join("; ");
      div.appendChild(note);
    }
    log.scrollTop = log.scrollHeight;
  }

  async function ask(text) {
    bubble("me", text);
    const pending = bubble("bot pending", "諗緊… thinking…");
    send.disabled = true;
    const body = { text: text, session: sessionId() };
    if (!rolePicker.hidden && roleSelect.value) body.role = roleSelect.value;
    try {
      const response = await fetch("/web/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      showAnswer(pending, data);
    } catch (err) {
      pending.className = "bubble bot error";
      pending.textContent = "連線有問題，請再試。Connection problem, please try again.";
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    ask(text);
  });

  input.addEventListener("keydown", (event) => {
    // Enter sends; Shift+Enter adds a line. Not while an IME (Cantonese input) is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.getElementById("new-chat").addEventListener("click", () => {
    localStorage.setItem(SESSION_KEY, newSessionId());
    Array.from(log.querySelectorAll(".bubble:not(.intro)")).forEach((node) => node.remove());
    input.focus();
  });

  function showIdentity(config) {
    if (config.demo_mode) document.getElementById("demo-banner").hidden = false;
    if (config.signed_in && config.user) {
      const who = document.getElementById("who");
      who.textContent = config.user.name + " (" + config.user.role + ")";  // text, never HTML
      who.hidden = false;
      document.getElementById("sign-out").hidden = false;
    } else if (config.sign_in_hint) {
      const hint = document.getElementById("sign-in-hint");
      hint.textContent = config.sign_in_hint;
      hint.hidden = false;
    }
  }

  document.getElementById("sign-out").addEventListener("click", () => {
    fetch("/web/logout", { method: "POST" }).finally(() => window.location.reload());
  });

  fetch("/web/config").then((r) => r.json()).then((config) => {
    showIdentity(config);
    if (!config.demo_mode || config.signed_in) return;  // a signed-in visitor's role is staff.csv's
    const saved = localStorage.getItem(ROLE_KEY) || "sales";
    config.roles.forEach((role) => {
      const option = document.createElement("option");
      option.value = role;
      option.textContent = role;
      option.selected = role === saved;
      roleSelect.appendChild(option);
    });
    roleSelect.addEventListener("change", () => localStorage.setItem(ROLE_KEY, roleSelect.value));
    rolePicker.hidden = false;
  }).catch(() => { /* no picker: the server decides the role */ });

  sessionId();
  input.focus();
})();
