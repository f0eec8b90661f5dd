"""The quick constructors of the reader's most made values give the objects the dataclasses give.

``Figure.plain`` and ``PlanParcel.listed`` fill the frozen instance's fields at once instead of one
``object.__setattr__`` per field. They must stay the same objects: equal, the same ``repr``, the same
attributes — a field added to the class and not to the quick constructor fails here.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from landreserve.domain.plans import Figure, LandUseMatch, Measure, PlanParcel
from landreserve.domain.units import Quantity


def _figure_args() -> tuple:
    return ("SL-CB2027001", "4.0254", "公顷", Quantity.AREA, Decimal(40254), 12, "面积：4.0254公顷")


def _parcel_args() -> tuple:
    area = Measure((Figure(*_figure_args()),))
    use = LandUseMatch("住宅用地", ("07",))
    return ("SL-CB2027001", "SL－CB2027001", 12, "1\tSL－CB2027001", "城区", area, "住宅用地", use, True, 1)


@pytest.mark.parametrize(
    ("made", "reference"),
    [
        (lambda: Figure.plain(*_figure_args()), lambda: Figure(*_figure_args())),
        (lambda: PlanParcel.listed(*_parcel_args()), lambda: PlanParcel(*_parcel_args())),
    ],
    ids=["Figure.plain", "PlanParcel.listed"],
)
def test_the_quick_constructor_makes_the_dataclass_object(made, reference):
    quick, plain = made(), reference()
    assert quick == plain and repr(quick) == repr(plain) and hash(quick) == hash(plain)
    assert vars(quick) == vars(plain)
    assert list(vars(quick)) == [f.name for f in dataclasses.fields(plain)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.line = 13  # still frozen
