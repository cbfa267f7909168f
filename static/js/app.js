// Guess That Movie: the few behaviours htmx cannot express in markup. Everything works without it.
(() => {
  "use strict";

  // --- The title combobox (WAI-ARIA combobox with a listbox popup) ---------------------------
  // htmx fills #guess-options as the player types; these lines add what the pattern needs on
  // top: arrow keys move the active option, Enter or a tap picks it, Escape closes the list.
  // Listeners sit on the document because every move replaces the form.
  const field = () => document.getElementById("guess");
  const list = () => document.getElementById("guess-options");
  const options = () => Array.from(document.querySelectorAll("#guess-options [role=option]"));

  function setOpen(open) {
    const input = field();
    const box = list();
    if (!input || !box) return;
    box.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) input.removeAttribute("aria-activedescendant");
  }

  function activate(option) {
    options().forEach((o) => o.setAttribute("aria-selected", String(o === option)));
    field().setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  // A pick fills the title and sends the movie's id too, so a namesake is never mistaken.
  function pick(option) {
    const input = field();
    input.value = option.dataset.label;
    input.form.elements.movie_id.value = option.dataset.movieId;
    setOpen(false);
    input.focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.target !== field()) return;
    const all = options();
    const open = !list().hidden && all.length > 0;
    const current = all.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(all[(current + step + all.length) % all.length] || all[0]);
    } else if (event.key === "Enter" && open && current >= 0) {
      event.preventDefault(); // pick, do not send yet: the player confirms with Enter or Guess
      pick(all[current]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  });

  document.addEventListener("input", (event) => {
    if (event.target === field()) event.target.form.elements.movie_id.value = "";
  });

  // "Did you mean": with JS a suggestion fills the field (the player still presses Guess).
  function fillButtons(root) {
    for (const button of root.querySelectorAll("button[data-fill]")) {
      button.textContent = button.dataset.fill;
      button.setAttribute("aria-label", `Put “${button.dataset.fill}” in the guess field`);
    }
  }
  fillButtons(document);
  document.addEventListener("htmx:load", (event) => fillButtons(event.detail.elt));

  document.addEventListener("click", (event) => {
    const fill = event.target.closest("button[data-fill]");
    if (fill && field()) {
      event.preventDefault();
      field().value = fill.dataset.fill;
      field().form.elements.movie_id.value = fill.dataset.movieId;
      field().focus();
      return;
    }
    const option = event.target.closest("#guess-options [role=option]");
    if (option) pick(option);
    else if (!event.target.closest(".combo")) setOpen(false);
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === list()) setOpen(options().length > 0 && field() === document.activeElement);
  });

  // --- A move that failed on the way ------------------------------------------------------------
  // Offline, or the server answered 429/5xx (its notice is already swapped in): say so, keep the
  // typed text (the form stays), and offer to send the same move again.
  let lastMove = null;
  // getAttribute: the forms hold a field named "action", which shadows form.action.
  const isMove = (elt) => elt instanceof HTMLFormElement && /\/moves$/.test(elt.getAttribute("action") || "");

  document.addEventListener("submit", (event) => {
    if (isMove(event.target)) lastMove = { form: event.target, submitter: event.submitter };
  }, true);

  function offerRetry(message) {
    const notice = document.getElementById("notice");
    if (!notice) return;
    if (message) {
      const body = Object.assign(document.createElement("div"), { className: "notice-body error" });
      body.append(Object.assign(document.createElement("p"), { textContent: message }));
      notice.replaceChildren(body);
    }
    const body = notice.querySelector(".notice-body") || notice;
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Try again", className: "secondary retry" });
    button.dataset.retry = "";
    body.append(button);
  }

  const unreachable = (event) => {
    if (isMove(event.detail.elt)) {
      offerRetry("Your move could not reach the game: check your connection. Nothing was counted and your guess is still in the box.");
    }
  };
  document.addEventListener("htmx:sendError", unreachable);
  document.addEventListener("htmx:timeout", unreachable);
  document.addEventListener("htmx:afterRequest", (event) => {
    const { elt, xhr } = event.detail;
    if (isMove(elt) && xhr && (xhr.status === 429 || xhr.status >= 500)) offerRetry(null);
  });

  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-retry]") || !lastMove) return;
    // A click on the same button sends the same move (htmx reads the button clicked, not the
    // submitter of requestSubmit).
    const { form, submitter } = lastMove;
    if (submitter && document.body.contains(submitter)) submitter.click();
    else (document.body.contains(form) ? form : document.getElementById("guess-form"))?.requestSubmit();
  });

  // --- Focus after a move -----------------------------------------------------------------------
  // The move replaced the form the player was typing in; put them on what the move revealed:
  // the result when the game ended, else the new clue card.
  document.addEventListener("htmx:afterSettle", (event) => {
    const { target, xhr } = event.detail;
    if (!target || target.id !== "clues" || !xhr) return;
    if (xhr.status !== 200) {
      // A refusal keeps focus in the field; the newest clue goes to the top, above the bar.
      target.lastElementChild?.scrollIntoView({ block: "start" });
      return;
    }
    const reveal = document.querySelector("[data-result]") || target.lastElementChild;
    if (!reveal) return;
    reveal.tabIndex = -1;
    // Its top at the top of the screen: the guess bar is pinned below it (one turn, one screen).
    reveal.focus({ preventScroll: true });
    reveal.scrollIntoView({ block: "start" });
  });
})();


// Share/Copy (the finished-game panel): the read-only box already holds the text; this button adds
// the device's share sheet where there is one (touch devices), else the Clipboard API.
function revealShareButtons(root) {
  for (const button of root.querySelectorAll("[data-share-button]")) {
    const sheet = navigator.share && matchMedia("(pointer: coarse)").matches;
    button.textContent = sheet ? "Share result" : "Copy result";
    button.hidden = false;
  }
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-share-button]");
  if (!button) return;
  const box = button.closest(".share");
  const text = box.querySelector("[data-share-text]").value;
  const status = box.querySelector("[data-share-status]");
  try {
    if (navigator.share && matchMedia("(pointer: coarse)").matches) {
      await navigator.share({ text });
      status.textContent = "Shared";
    } else {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied: paste it anywhere."; // said once, by the status
    }
    button.classList.add("done");
  } catch (error) {
    if (error.name === "AbortError") return; // the player closed the share sheet
    // Copying is blocked (some in-app browsers): select the text so a long press copies it.
    box.querySelector("[data-share-text]").select();
    status.textContent = "Copying is blocked here: the text is selected, copy it by hand.";
  }
});

// Countdown: the server rendered the seconds left from its own clock; tick from there, so a
// wrong clock on the device cannot make it lie.
function startCountdowns(root) {
  for (const node of root.querySelectorAll("[data-countdown]")) {
    const end = performance.now() + Number(node.dataset.countdown) * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((end - performance.now()) / 1000));
      const h = Math.floor(left / 3600);
      const m = String(Math.floor((left % 3600) / 60)).padStart(2, "0");
      const s = String(left % 60).padStart(2, "0");
      node.textContent = `${h}:${m}:${s}`;
      if (left === 0) {
        clearInterval(timer);
        const box = node.closest("[data-countdown-box]");
        const link = Object.assign(document.createElement("a"), { href: "/", textContent: "play it" });
        box.replaceChildren("A new puzzle is out: ", link, ".");
      }
    };
    const timer = setInterval(tick, 1000);
  }
}

function enhance(root) {
  revealShareButtons(root);
  startCountdowns(root);
}

// htmx fires htmx:load for every piece of content it swaps in; the first page load is done here.
enhance(document);
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) enhance(event.detail.elt);
});

// The service worker (/sw.js, templates/sw.js) makes the game installable on a phone's home
// screen and shows an offline page without a network. It keeps static files only, never a game.
// Registered after the page has loaded, so it never competes with it; the game works without it.
if ("serviceWorker" in navigator) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
