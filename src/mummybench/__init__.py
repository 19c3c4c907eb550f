"""mummybench: put published ML claims on trial and find where they break."""

from .runtime import pin_isa

pin_isa()  # before numpy loads: trials use the same code paths on every x86-64 machine (see runtime.py)


from .case import Case, Outcome  # noqa: E402 - after pin_isa
from .claim import Claim  # noqa: E402 - after pin_isa
from .export import trials_dataframe  # noqa: E402 - after pin_isa
from .plan import Plan  # noqa: E402 - after pin_isa
from .space import Axis, Choice, Float, Int, Setting, SettingError  # noqa: E402 - after pin_isa

__all__ = ["Axis", "Case", "Choice", "Claim", "Float", "Int", "Outcome", "Plan", "Setting", "SettingError",
           "trials_dataframe"]
__version__ = "0.1.0"
