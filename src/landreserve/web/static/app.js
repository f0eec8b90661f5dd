/* landreserve — small behaviours without inline scripts (the pages' CSP forbids them). */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit> submits its form when changed
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  // <button data-print> prints the page (app.css has the print layout)
  document.querySelectorAll("[data-print]").forEach((el) => el.addEventListener("click", () => window.print()));
  // <form data-confirm="…"> asks before submitting
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
