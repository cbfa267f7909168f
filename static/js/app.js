// Guess That Movie's own script: a few lines each, every one an enhancement; the pages work without it.
"use strict";

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
      status.textContent = "Copied";
      button.textContent = "Copied";
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
