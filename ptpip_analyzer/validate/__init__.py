"""Protocol validation: findings with stable rule ids over the decoded record stream."""

from .command import TransactionState
from .export import finding_to_dict, session_to_dict
from .rules import RULES, RULES_BY_ID, Rule
from .sessions import Session
from .validator import Validator

__all__ = ["RULES", "RULES_BY_ID", "Rule", "Session", "TransactionState", "Validator",
           "finding_to_dict", "session_to_dict"]
