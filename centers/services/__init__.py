"""Every write to the organisation: edits (editing), and the locks they take (locking)."""

from .editing import (
    MOVE_POSITIONS,
    EditRefused,
    NotPermitted,
    assign_holder,
    move_unit,
    rename_unit,
    revert_unit,
    set_head,
    set_responsible,
)
from .locking import TREE_ALLOCATION_LOCK, lock_tree_allocation, lock_version

__all__ = [
    "MOVE_POSITIONS",
    "TREE_ALLOCATION_LOCK",
    "EditRefused",
    "NotPermitted",
    "assign_holder",
    "lock_tree_allocation",
    "lock_version",
    "move_unit",
    "rename_unit",
    "revert_unit",
    "set_head",
    "set_responsible",
]
