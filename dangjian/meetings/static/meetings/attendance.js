// The attendance grid's "All present": every row present except those with an approved leave.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("all-present");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    document.querySelectorAll("#attendance-grid tbody tr").forEach((row) => {
      if (row.dataset.leave === "approved") return;
      const present = row.querySelector('input[type=radio][value="present"]:not([disabled])');
      if (present) present.checked = true;
    });
  });
});
