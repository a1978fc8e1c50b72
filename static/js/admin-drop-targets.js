// While a unit is dragged in the admin's tree (django-mptt's DraggableMPTTAdmin), grey out the rows it cannot be
// dropped into: units without a drag handle (the user may not change them) and the dragged unit's own subtree.
// The marks show only while the body has django-mptt's "dragging" class (static/css/admin.css). The server still
// decides (services.move_unit); this only shows the rule before the drop.
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  }

  function level(row) {
    var node = row.querySelector(".tree-node");
    return node ? Number(node.getAttribute("data-level")) || 0 : 0;
  }

  function clear() {
    rows().forEach(function (row) {
      row.classList.remove("drop-forbidden");
    });
  }

  document.addEventListener("mousedown", function (event) {
    var handle = event.target.closest && event.target.closest("#result_list .drag-handle");
    if (!handle) return;
    clear();
    var dragged = handle.closest("tr");
    var draggedLevel = level(dragged);
    var inSubtree = false;
    rows().forEach(function (row) {
      if (row === dragged) inSubtree = true;
      else if (inSubtree && level(row) <= draggedLevel) inSubtree = false;
      if (inSubtree || !row.querySelector(".drag-handle")) row.classList.add("drop-forbidden");
    });
  });
})();
