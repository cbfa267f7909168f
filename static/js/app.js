// Guess That Movie: the few behaviours htmx cannot express in markup. Everything works without it.
(() => {
  "use strict";

  // --- The title combobox (WAI-ARIA combobox with a listbox popup)
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
    fitList();
  }

  // The list opens upwards: it fits above the field in what a keyboard leaves (visualViewport),
  // below the newest clue's first line.
  function fitList() {
    const box = list();
    const room = field()?.getBoundingClientRect().top - (window.visualViewport?.offsetTop || 0);
    if (box && !box.hidden) box.style.maxHeight = `${Math.max(100, room - 90)}px`;
  }
  window.visualViewport?.addEventListener("resize", fitList);

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

  // "Did you mean": with JS a pick fills the field (the player then presses Guess).
  const fillButtons = (root) => root.querySelectorAll("button[data-fill]").forEach((b) => {
    b.closest(".notice").querySelector(".cost")?.remove();
    b.ariaLabel = `Put “${b.dataset.fill}” in the guess field`;
  });
  fillButtons(document);
  document.addEventListener("htmx:load", (e) => fillButtons(e.detail.elt));

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

  // --- No network, a 429 or a 5xx: say so, keep the text, offer the same move again.
  // (getAttribute: a field named "action" shadows form.action.)
  let last = null;
  const isMove = (f) => f instanceof HTMLFormElement && /\/moves$/.test(f.getAttribute("action"));
  document.addEventListener("submit", (e) => { if (isMove(e.target)) last = e.submitter; }, true);
  function retry(text) {
    const notice = document.getElementById("notice");
    if (text) {
      notice.innerHTML = '<div class="notice-body error"><p></p></div>';
      notice.querySelector("p").textContent = text;
    }
    notice.firstElementChild?.insertAdjacentHTML("beforeend", '<button type="button" class="secondary" data-retry>Try again</button>');
  }
  const lost = (e) => isMove(e.detail.elt) && retry("Could not reach the game: check your connection. Nothing was counted.");
  document.addEventListener("htmx:sendError", lost);
  document.addEventListener("htmx:timeout", lost);
  document.addEventListener("htmx:afterRequest", (e) => {
    const status = e.detail.xhr?.status;
    if (isMove(e.detail.elt) && (status === 429 || status >= 500)) retry();
  });
  // Click the same button: htmx sends the button clicked.
  document.addEventListener("click", (e) => { if (e.target.closest("[data-retry]") && last?.isConnected) last.click(); });

  // --- Focus after a move
  // The move replaced the form the player was typing in; put them on what the move revealed:
  // the result when the game ended, else the new clue card.
  document.addEventListener("htmx:afterSettle", (event) => {
    const { target, xhr } = event.detail;
    if (!target || target.id !== "clues" || !xhr) return;
    if (xhr.status !== 200) return target.lastElementChild?.scrollIntoView({ block: "start" }); // focus stays
    const reveal = document.querySelector("[data-result]") || target.lastElementChild;
    if (!reveal) return;
    reveal.tabIndex = -1;
    // At the top of the screen, the pinned guess bar below it: one turn, one screen.
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
      status.textContent = "Copied: paste it anywhere."; // said once: the button keeps its name
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

// The service worker (templates/sw.js): installable, an offline page; static files only, never a
// game. Registered once the page has loaded, so it never competes with it.
if ("serviceWorker" in navigator) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
