// Picking an answer template fills the decision and reason of the same form (without
// JavaScript, the "usar plantilla" button reloads the page with them filled in).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!select.matches || !select.matches("select[data-template-picker]")) return;
  const option = select.selectedOptions[0];
  if (!option || !option.dataset.reason) return;
  const form = select.form;
  form.querySelector("[name=decision]").value = option.dataset.decision;
  form.querySelector("[name=reason]").value = option.dataset.reason;
  const title = form.querySelector("[name=title]");
  if (title && !title.value) title.value = option.dataset.title;
});
