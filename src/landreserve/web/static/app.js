/* landreserve — small behaviours without inline scripts (the pages' CSP forbids them). */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit> submits its form when changed
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  // <form data-confirm="…"> asks before submitting
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
