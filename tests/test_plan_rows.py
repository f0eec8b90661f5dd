"""The stored rows of a plan version (``services.plan_rows``): a parcel's area as listed is left out of the
figure rows only where its parcel row gives it back exactly, and the version's figures read back are the
document's figures, in order, with their provenance."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from landreserve.domain.plans import Figure, LandUseMatch, Measure, PlanParcel
from landreserve.domain.units import Quantity
from landreserve.services import plan_rows
from landreserve.services.plan_json import figure_json
from landreserve.storage.plan_tables import PlanFigureRow, PlanParcelRow, PlanVersionRow

TEXT = "3.地块编号：BC-3，面积：1.0806公顷；"


def _parcel(code: str, area: Figure | None, line: int = 3, text: str = TEXT) -> PlanParcel:
    measure = Measure((area,)) if area is not None else None
    return PlanParcel(
        code, code, line, text, "某路", measure, "商服用地", LandUseMatch("商服用地", ("05",), ("09",))
    )


def _area(code: str, value: str = "1.0806", unit: str = "公顷", **changes) -> Figure:
    fields = {"line": 3, "text": TEXT, "qualifier": None, "base_value": D("10806"), **changes}
    return Figure(code, value, unit, Quantity.AREA, fields["base_value"], fields["line"], fields["text"],
                  fields["qualifier"])  # fmt: skip


def _stored(figures: list[Figure], parcels: list[PlanParcel]) -> PlanVersionRow:
    """The rows ``rows_of`` gives, as a version's (unsaved) ORM rows."""
    figure_rows, parcel_rows = plan_rows.rows_of(figures, parcels)
    version = PlanVersionRow()
    version.figures = [
        PlanFigureRow(**{name: values[i] for name, values in figure_rows.items()})
        for i in range(len(figure_rows["seq"]))
    ]
    version.parcels = [
        PlanParcelRow(**{name: values[i] for name, values in parcel_rows.items()})
        for i in range(len(parcels))
    ]
    return version


def _read_back(figures: list[Figure], parcels: list[PlanParcel]) -> tuple[list[dict], int]:
    version = _stored(figures, parcels)
    read = plan_rows.version_figures(version)
    assert [seq for seq, _ in read] == list(range(len(figures)))
    return [figure_json(f) for _, f in read], len(version.figures)


def test_the_areas_a_parcel_row_holds_are_left_out_and_read_back_in_place():
    heading = Figure(
        "年度储备规模", "3.00", "公顷", Quantity.AREA, D("30000"), 1, "本年度计划储备土地3.00公顷。"
    )
    areas = [_area(f"BC-{i}", base_value=D(10806 + i)) for i in range(3)]
    funds = Figure("资金总量", "0.75", "亿元", Quantity.MONEY, D("75000000"), 9, "资金总量0.75亿元。")
    figures = [heading, *areas, funds]
    read, rows = _read_back(figures, [_parcel(f"BC-{i}", a) for i, a in enumerate(areas)])
    assert read == [figure_json(f) for f in figures]
    assert rows == 2  # the heading and the funds: the three areas are in their parcel rows


def test_an_area_its_row_does_not_hold_stays_a_figure_row():
    kept = [
        _area("BC-1", qualifier="约"),  # a qualifier: not in the parcel row
        _area("其他标签"),  # labelled otherwise than by the code
        _area(
            "BC-3", value="1,080.6", unit="平方米", base_value=D("1080.6")
        ),  # a value that does not split back
        _area("BC-4", value="1.5", unit="5亩"),  # a unit that reads as more of the value
        _area("BC-5", line=4),  # another line than the parcel's
        _area("BC-6", text="另一句"),  # another sentence
    ]
    parcels = [_parcel(f"BC-{i}", a) for i, a in enumerate(kept, start=1)]
    not_listed = _area("BC-7")  # a parcel whose area is not among the document's figures
    held = _area("BC-8")
    figures = [*kept, held]
    read, rows = _read_back(
        figures, [*parcels, _parcel("BC-7", not_listed), _parcel("BC-8", held), _parcel("X", None)]
    )
    assert read == [figure_json(f) for f in figures]
    assert rows == len(kept)


def test_areas_out_of_the_figures_order_are_still_found():
    areas = [_area(f"BC-{i}", base_value=D(i + 1)) for i in range(4)]
    figures = [areas[2], areas[0], areas[3], areas[1]]
    read, rows = _read_back(figures, [_parcel(f"BC-{i}", a) for i, a in enumerate(areas)])
    assert read == [figure_json(f) for f in figures] and rows == 0


@settings(max_examples=300, deadline=None)
@given(
    areas=st.lists(
        st.tuples(
            st.one_of(  # mostly plain numbers (the check of the whole list), sometimes anything
                st.text(alphabet="0123456789.", max_size=5),
                st.text(alphabet="0123456789.,-一亩 \n", max_size=6),
            ),
            st.text(alphabet="0.9公顷亩万平方米 \n", min_size=0, max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_the_check_of_a_whole_list_is_the_rule_itself(areas):
    """``_held_by_rows`` (all values at once) decides as :func:`area_figure` does, value by value."""
    areas = [_area(f"BC-{i}", value=v, unit=u) for i, (v, u) in enumerate(areas)]
    parcels = [_parcel(f"BC-{i}", a) for i, a in enumerate(areas)]
    fast = plan_rows._held_by_rows(parcels, areas)
    exact = [plan_rows.area_figure(p.code, f"{a.value}{a.unit}", a.base_value, p.line, p.text) == a
             for p, a in zip(parcels, areas, strict=True)]  # fmt: skip
    assert fast == exact
