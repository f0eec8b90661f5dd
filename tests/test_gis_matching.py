"""Matching features to parcel codes: normalised codes; nothing dropped without being listed."""

from __future__ import annotations

import pytest
from tests.gis_samples import SQUARE

from landreserve.errors import InputError
from landreserve.gis.features import Feature
from landreserve.gis.matching import choose_code_field, match_features


def _feature(code, place="第1个要素"):
    return Feature(SQUARE, {"地块编号": code}, place)


def test_full_width_dash_and_spaces_match_the_plan_code():
    matching = match_features([_feature("BC－CB 2026001")], "地块编号", ["BC-CB2026001"])
    assert list(matching.matched) == ["BC-CB2026001"]
    assert matching.written["BC-CB2026001"] == "BC－CB 2026001"
    assert matching.parcels_without_feature == [] and matching.not_in_plans == []


def test_unmatched_features_and_parcels_are_listed():
    features = [
        _feature("BC-CB2026001", "第1个要素"),
        _feature(None, "第2个要素"),
        _feature("BC-X9999999", "第3个要素"),
    ]
    matching = match_features(features, "地块编号", ["BC-CB2026001", "BC-CB2026002"])
    assert [(u.feature.place, u.reason) for u in matching.unmatched_features] == [
        ("第2个要素", "编号字段为空")
    ]
    assert matching.parcels_without_feature == ["BC-CB2026002"]
    assert matching.not_in_plans == ["BC-X9999999"]
    assert len(matching.matched) + len(matching.unmatched_features) == len(features)


def test_duplicate_codes_are_all_listed():
    features = [
        _feature("BC-CB2026001", "第1个要素"),
        _feature("BC－CB2026001", "第2个要素"),
        _feature("BC-CB2026001", "第3个要素"),
    ]
    matching = match_features(features, "地块编号")
    assert matching.matched == {}
    assert [f.place for f in matching.duplicates["BC-CB2026001"]] == ["第1个要素", "第2个要素", "第3个要素"]
    assert all("出现 3 次" in u.reason for u in matching.unmatched_features)


def test_text_lists_pick_the_one_known_or_code_like_value():
    feature = Feature(SQUARE, {"Text": ["巴楚镇", "BC-CB2026001"]}, "")
    assert list(match_features([feature], "Text").matched) == ["BC-CB2026001"]
    two = Feature(SQUARE, {"Text": ["BC-CB2026001", "BC-CB2026002"]}, "")
    assert list(match_features([two], "Text", ["BC-CB2026002"]).matched) == ["BC-CB2026002"]
    assert "多个编号" in match_features([two], "Text").unmatched_features[0].reason


def test_code_field_is_chosen_or_asked_for():
    assert choose_code_field(["FID", "DKBH"], None, "a.shp") == "DKBH"
    assert choose_code_field(["FID", "BH2"], "BH2", "a.shp") == "BH2"
    with pytest.raises(InputError, match="--code-field"):
        choose_code_field(["FID", "NAME"], None, "a.shp")
    with pytest.raises(InputError, match="没有字段“XX”"):
        choose_code_field(["FID"], "XX", "a.shp")
