"""mummybench: put published ML claims on trial and find where they break."""

from .case import Case, Outcome
from .claim import Claim
from .plan import Plan
from .space import Axis, Choice, Float, Int, Setting, SettingError

__all__ = ["Axis", "Case", "Choice", "Claim", "Float", "Int", "Outcome", "Plan", "Setting", "SettingError"]
__version__ = "0.1.0"
