"""Sample plan texts of other (fictional) counties, shared by the importer and auditor tests.

Each sample is modelled on the shape of real published Chinese land reserve / supply documents
(news summaries, annual plans, rolling plans, combined notices); counties and figures are invented.
The comment above each sample states its expected consistency: ``consistent`` (a correct audit gives
no error), or the exact inconsistencies an auditor must find. ``SAMPLES`` maps a name to its text and
``CONSISTENT`` lists the names of the consistent ones.

Line numbers quoted in the comments are 1-based lines of the sample text.
"""

from __future__ import annotations

# consistent. News-style summary, figures only in 亩, all approximate (约): 520 + 260 + 420 = 1200 亩;
# the split is introduced by 其中 (a part-of list: exhaustive=False). Funds 约3.6亿元. No parcel list.
NEWS_SUMMARY = """\
岳山县发布2026年度土地储备计划
发布时间：2026-02-18 09:30　来源：岳山县融媒体中心
首页 > 新闻中心 > 县域动态
近日，岳山县自然资源局发布《岳山县2026年度土地储备计划》。根据计划，2026年全县计划储备土地约1200亩，其中住宅用地约520亩、商服用地约260亩、工业用地约420亩，主要分布在城北新区和产业园区。
计划储备资金约3.6亿元，主要通过土地储备专项债券等渠道筹措。县自然资源局有关负责人表示，将优先收储存量闲置土地，不占或少占农用地。
【字体：大 中 小】 打印本页 关闭窗口
"""

# consistent. Annual plan with figures only in 亩 (two decimals). Line 3: 8宗, 636.00亩 = 存量 498.00 + 新增 138.00.
# Line 5: uses 312.00 + 126.00 + 198.00 = 636.00; shares 49.06% + 19.81% + 31.13% = 100.00% and each
# matches its area (312/636 = 49.057%, 126/636 = 19.811%, 198/636 = 31.132%).
# Lines 7-14: 8 parcels of 86 + 72 + 95 + 64 + 110 + 59 + 88 + 62 = 636.00 亩 (matches the count 8宗);
# by use they give 住宅 312.00, 商服 126.00, 工业 198.00 as in line 5.
MU_ONLY = """\
清河县2026年国有建设用地储备计划
一、储备规模
2026年度计划储备土地共8宗，总面积636.00亩，其中存量建设用地498.00亩，新增建设用地138.00亩。
二、储备结构
按用途划分：住宅用地312.00亩，占49.06%；商服用地126.00亩，占19.81%；工业用地198.00亩，占31.13%。
三、储备地块清单
1.地块编号：QH2026-01，位置：滨河路南侧、新华街东侧，面积：86.00亩，用途：住宅用地；
2.地块编号：QH2026-02，位置：滨河路北侧、新华街东侧，面积：72.00亩，用途：住宅用地；
3.地块编号：QH2026-03，位置：光明路西侧、建设路南侧，面积：95.00亩，用途：住宅用地；
4.地块编号：QH2026-04，位置：光明路东侧、人民路北侧，面积：64.00亩，用途：商服用地；
5.地块编号：QH2026-05，位置：工业大道南侧、纬三路北侧，面积：110.00亩，用途：工业用地；
6.地块编号：QH2026-06，位置：站前路东侧、迎宾路南侧，面积：59.00亩，用途：住宅用地；
7.地块编号：QH2026-07，位置：工业大道北侧、经五路西侧，面积：88.00亩，用途：工业用地；
8.地块编号：QH2026-08，位置：人民路南侧、文化街西侧，面积：62.00亩，用途：商服用地。
"""

# consistent. Four-decimal hectares. Line 4: 23.4567 公顷 (351.85 亩: 23.4567 × 15 = 351.8505).
# Line 6: 住宅用地 13.3579 (56.95%) + 商服用地 10.0988 (43.05%) = 23.4567; shares match
# (13.3579/23.4567 = 56.947%). Lines 8-11: parcels 5.1234 + 8.2345 + 3.3456 + 6.7532 = 23.4567.
HECTARE_FOUR_DECIMALS = """\
塔河县2026年土地储备计划
塔政发〔2026〕5号
（一）年度储备规模
本年度计划储备土地23.4567公顷（351.85亩），全部为存量建设用地。
（二）储备结构
住宅用地13.3579公顷，占56.95%；商服用地10.0988公顷，占43.05%。
（三）储备地块明细
①地块编号：TH-2026-001，土地坐落：塔河县胜利路北侧、幸福街西侧，面积：5.1234公顷；
②地块编号：TH-2026-002，土地坐落：塔河县胜利路南侧、幸福街西侧，面积：8.2345公顷；
③地块编号：TH-2026-003，土地坐落：塔河县解放路东侧、团结路北侧，面积：3.3456公顷；
④地块编号：TH-2026-004，土地坐落：塔河县解放路西侧、团结路南侧，面积：6.7532公顷。
"""

# consistent. Three-year rolling plan 2026-2028, hectares, per-year splits of area and funds.
# Line 5: 300.00 公顷 (4500.00 亩). Line 6: 2026年 95.50 + 2027年 102.30 + 2028年 102.20 = 300.00.
# Line 8: 住宅 120.00 (40.00%) + 商服 60.00 (20.00%) + 工业 90.00 (30.00%) + 公共管理与公共服务
# 30.00 (10.00%) = 300.00. Line 10: funds 45.00 亿元 = 14.20 + 15.60 + 15.20 (by year).
ROLLING_2026_2028 = """\
临江市2026—2028年土地储备三年滚动计划
临政办发〔2025〕88号
一、储备规模
（一）三年储备总规模
2026—2028年全市计划储备土地300.00公顷（4500.00亩）。
分年度安排：2026年计划储备95.50公顷，2027年计划储备102.30公顷，2028年计划储备102.20公顷。
二、储备结构
住宅用地120.00公顷，占40.00%；商服用地60.00公顷，占20.00%；工业用地90.00公顷，占30.00%；公共管理与公共服务用地30.00公顷，占10.00%。
三、资金需求
三年资金需求总量45.00亿元，其中2026年14.20亿元、2027年15.60亿元、2028年15.20亿元。
"""

# consistent. A combined notice: supply plan (line 4: 85.00 公顷 = 15.00 + 30.00 + 32.00 + 8.00, a
# 其中 list) and reserve plan (line 7: 1800.00亩 (120.00公顷) — 亩 first — = 存量 70.00 + 新增 50.00
# 公顷; line 8: 住宅 50.00 + 商服 20.00 + 工业 50.00 = 120.00). Funds line 10: 18000万元.
COMBINED_SUPPLY_RESERVE = """\
安平县自然资源局关于公布2026年国有建设用地供应计划和土地储备计划的公告
一、国有建设用地供应计划
根据全县经济社会发展需要，经县人民政府批准：
2026年计划供应国有建设用地85.00公顷，其中：商服用地15.00公顷，住宅用地30.00公顷，工矿仓储用地32.00公顷，公共管理与公共服务用地8.00公顷。
二、土地储备计划
（一）储备规模
2026年计划储备土地1800.00亩（120.00公顷），其中存量土地70.00公顷，新增土地50.00公顷。
（二）储备结构：住宅用地50.00公顷，商服用地20.00公顷，工业用地50.00公顷。
（三）资金安排
土地储备资金需求18000万元，来源为土地出让收入和土地储备专项债券。
特此公告。
"""

# truncated: the text stops mid-sentence in line 8 (a warning ``text.truncated``). What is there is
# consistent (line 4: 10.5000 公顷 = 157.50 亩), but the parcel list holds only 3.5000 公顷 of it
# (line 7) because the rest was cut off: a list that does not reach its total.
TRUNCATED = """\
石门县2026年度土地储备计划
一、储备规模
（一）年度储备规模
本年度计划储备土地10.5000公顷（157.50亩）。
二、储备地块明细
（一）储备地块
1.地块编号：SM2026-001，土地坐落：人民路北侧、建设街东侧，面积：3.5000公顷；
2.地块编号：SM2026-002，土地坐落：人民路南侧、建设街"""

# corrupted numbers: line 4 has ``.32公顷`` (malformed), line 6 ``4O.5公顷`` (letter O) and line 7
# ``面积：公顷`` (missing); none of them may become a figure. The readable figures are consistent:
# line 3: 56.30 公顷 (844.50 亩); line 6: 住宅用地 15.80 公顷 is the only readable part of the use split.
CORRUPTED_NUMBER = """\
河口县2026年土地储备计划
一、储备规模
本年度计划储备土地56.30公顷（844.50亩）。
其中存量土地.32公顷。
二、储备结构
住宅用地15.80公顷，工业用地4O.5公顷。
三、地块：HK2026-01，坐落：滨江路东侧，面积：公顷。
"""

# consistent. Parcel table (columns separated by two or more spaces) under a count in 宗:
# line 3: 6宗, 35.20 公顷 (528.00 亩); rows (lines 6-11) 5.60 + 7.25 + 4.10 + 8.35 + 3.90 + 6.00 = 35.20,
# the 合计 row (line 12) states 35.20; uses: 住宅 5.60+4.10+6.00 = 15.70, 商服 7.25, 工业 8.35+3.90 = 12.25.
TABLE_WITH_COUNT = """\
青川县2026年度土地储备计划
一、年度储备规模
本年度计划储备地块共6宗，总面积35.20公顷（528.00亩）。
二、储备地块明细表
序号  地块编号  土地坐落  面积（公顷）  规划用途
1  QC-2026-01  青川县环城东路西侧  5.60  住宅用地
2  QC-2026-02  青川县商贸街北侧  7.25  商服用地
3  QC-2026-03  青川县滨河路南侧  4.10  住宅用地
4  QC-2026-04  青川县工业园区纬一路北侧  8.35  工业用地
5  QC-2026-05  青川县工业园区经二路东侧  3.90  工业用地
6  QC-2026-06  青川县新城大道南侧  6.00  住宅用地
合计    35.20
"""

# inconsistent, deliberately. Line 4: total 50.00 公顷 (750.00 亩, consistent), 存量土地 52.00 公顷
# larger than the total (error). Line 6: uses 20.00 + 12.00 + 15.00 = 47.00 公顷, short of 50.00
# (error, 3.00 公顷 missing); 商服用地 12.00 公顷 stated as 190.00 亩 (12.00 × 15 = 180.00: ha and 亩
# disagree beyond rounding, error); 工业用地 share 36.00% contradicts 15.00/50.00 = 30.00% (error; the
# other two shares 40.00% and 24.00% are right). Lines 8-12: parcels 20.00 + 12.00 + 10.00 + 8.00 +
# 12.00 = 62.00 公顷 ≠ 50.00: line 12 repeats parcel XA2026-02 of line 9 (written ``XA2026－02``, same
# code once normalised, same location and area); without the duplicate the list adds up to 50.00.
INCONSISTENT = """\
西岸县2026年土地储备计划
一、年度储备规模
本计划为年度土地储备计划。
本年度计划储备土地50.00公顷（750.00亩），其中存量土地52.00公顷。
二、储备结构
住宅用地20.00公顷，占40.00%；商服用地12.00公顷（190.00亩），占24.00%；工业用地15.00公顷，占36.00%。
三、储备地块明细
1.地块编号：XA2026-01，土地坐落：西岸县长江路北侧，面积：20.00公顷；
2.地块编号：XA2026-02，土地坐落：西岸县黄河路南侧，面积：12.00公顷；
3.地块编号：XA2026-03，土地坐落：西岸县淮河路东侧，面积：10.00公顷；
4.地块编号：XA2026-04，土地坐落：西岸县珠江路西侧，面积：8.00公顷；
5.地块编号：XA2026－02，土地坐落：西岸县黄河路南侧，面积：12.00公顷。
"""

# consistent. A supply plan with parcels described in prose (no codes) and zones in 万平方米/平方米:
# line 4: 12.00 公顷 = 7.50 + 4.50 公顷 (两个片区); lines 6-7: 人民路以东地块 7.50 公顷, 滨河路以西地块
# 45000平方米 (= 4.50 公顷), adding up to the supply total.
PROSE_SUPPLY = """\
月湖区2026年国有建设用地供应计划
一、供应总量
2026年计划供应国有建设用地12.00公顷，共2宗。
按区域：老城片区7.50公顷，滨河片区4.50公顷。
二、供应地块
人民路以东地块，面积约7.50公顷，规划用途为商服用地。
滨河路以西地块，面积45000平方米，规划用途为住宅用地。
"""

# consistent. A complete plan on the national template, chapters and tab-separated parcel table.
# Line 5: carried over 5宗 18.60 公顷 = 入库 12.40 + 拟收储 6.20. Line 7: new 4宗 21.40 公顷;
# line 8 by source 6.00 + 5.40 + 10.00 = 21.40. Line 10: scale 40.00 公顷 (600.00 亩) = 结转 18.60 +
# 新增 21.40. Line 12: development 8.50 公顷; line 14: custody 15.00 公顷, of which 临时利用 3.00;
# line 16: supply 12.00 公顷 = 30.00% of 40.00. Line 18: funds 2.40 亿元 = 1.80 + 0.45 + 0.15 亿元.
# Lines 21-29: 9 parcels, 5 carried over (CN2025-…, 结转) adding up to 18.60 and 4 new adding up
# to 21.40, together 40.00 公顷.
NATIONAL_TEMPLATE = """\
东湖市城南区2026年度土地储备计划
城南政发〔2026〕3号
第一章 年度储备计划
一、上年度末结转储备土地
截至2025年末，结转储备土地共5宗，面积18.60公顷，其中已入库储备土地12.40公顷，拟收储土地6.20公顷。
二、年度新增储备土地
2026年计划新增储备土地4宗，面积21.40公顷。
按来源分：依法收回国有土地6.00公顷，收购土地5.40公顷，已完成农用地转用和征收的土地10.00公顷。
三、年度储备规模
2026年度储备土地总规模40.00公顷（600.00亩），包括上年度末结转18.60公顷和年度新增21.40公顷。
四、前期开发计划
计划对8.50公顷储备土地进行前期开发，主要包括道路、供水、供电等配套设施建设。
五、临时管护计划
计划对15.00公顷储备土地实施临时管护，其中临时利用3.00公顷。
六、储备土地供应计划
2026年计划供应储备土地12.00公顷，占年度储备规模的30.00%。
七、资金需求
年度资金需求总量2.40亿元。其中收购补偿资金1.80亿元，前期开发资金0.45亿元，管护资金0.15亿元。
第二章 储备地块清单
序号\t地块编号\t地块位置\t面积（公顷）\t用途\t备注
1\tCN2025-011\t城南区南湖路东侧\t6.20\t住宅用地\t结转
2\tCN2025-014\t城南区南湖路西侧\t3.10\t住宅用地\t结转
3\tCN2025-020\t城南区纬二路北侧\t2.40\t商服用地\t结转
4\tCN2025-023\t城南区经一路东侧\t4.50\t工业用地\t结转
5\tCN2025-027\t城南区经三路西侧\t2.40\t工业用地\t结转
6\tCN2026-001\t城南区滨湖大道南侧\t6.00\t住宅用地\t收回
7\tCN2026-002\t城南区滨湖大道北侧\t5.40\t商服用地\t收购
8\tCN2026-003\t城南区产业园纬五路南侧\t6.30\t工业用地\t征收
9\tCN2026-004\t城南区产业园经七路东侧\t3.70\t工业用地\t征收
"""

# consistent. A supply plan (供应计划) only. Line 4: 156.32 公顷 = 2344.80 亩. Line 6 (a 其中 list):
# 18.50 + 45.20 + 62.12 + 10.50 + 20.00 = 156.32, shares 11.83 + 28.92 + 39.74 + 6.72 + 12.79 = 100.00,
# each matching its area. Line 7 by supply mode: 出让 98.32 + 划拨 58.00 = 156.32. Lines 9-10 by zone:
# 85.20 + 71.12 = 156.32. Table lines 15-18 in 亩: 620.50 + 657.50 + 530.00 + 536.80 = 2344.80 (合计
# line 19), i.e. 156.32 公顷. Line 4 also states a change on last year (12.5 公顷), not a part.
SUPPLY_PLAN = """\
莎车县2026年度国有建设用地供应计划
为科学合理供应国有建设用地，根据《土地管理法》等法律法规制定本计划。
一、供应总量
2026年全县国有建设用地供应总量为156.32公顷（2344.80亩），比2025年增加12.5公顷。
二、供应结构
其中：商服用地18.50公顷，占11.83%；住宅用地45.20公顷，占28.92%；工矿仓储用地62.12公顷，占39.74%；公共管理与公共服务用地10.50公顷，占6.72%；交通运输用地20.00公顷，占12.79%。
按供应方式分：出让用地98.32公顷，划拨用地58.00公顷。
三、供应布局
（1）城区片区：供应土地85.20公顷；
（2）工业园区：供应土地71.12公顷。
四、保障措施
严格执行“净地”供应，供应地块须完成土地储备、前期开发，达到“三通一平”以上。
附表：莎车县2026年度国有建设用地供应计划地块表
序号\t宗地编号\t位置\t面积(亩)\t用途\t供应方式
1\tSC2026-01\t城北新区\t620.50\t住宅\t出让
2\tSC2026-02\t城南片区\t657.50\t商服\t出让
3\tSC2026-03\t工业园区纬一路\t530.00\t工业\t出让
4\tSC2026-04\t工业园区经二路\t536.80\t公共管理与公共服务\t划拨
合计\t\t\t2344.80\t\t
"""

# consistent. A plan listing its sources as （一）（二）（三） items (not headings), a use list ending with
# 其他用地, a cited law number that is not the document's number. Line 4: 125.3456 公顷 = 36.1234 +
# 20.0000 + 45.2222 + 24.0000 (a 其中 list). Lines 6-8 by source: 10.5000 + 5.0000 + 109.8456 = 125.3456.
# Line 10: funds 约8.5亿元. Line 12: development 35 公顷 (part of the scale).
PAREN_LIST = """\
北湖县2024年度国有建设用地储备计划
根据《土地储备管理办法》（国土资规〔2017〕17号）等规定，结合我县实际，制定本计划。
一、储备规模
2024年度我县计划储备土地面积为125.3456公顷，其中：住宅用地36.1234公顷，商服用地20.0000公顷，工业用地45.2222公顷，其他用地24.0000公顷。
二、储备土地来源
（一）收回国有土地使用权10.5000公顷；
（二）收购土地5.0000公顷；
（三）已办理农用地转用、征收批准手续的土地109.8456公顷。
三、储备资金
2024年度土地储备资金需求约为8.5亿元，资金来源为土地出让收入和专项债券。
四、前期开发
计划对已入库的35公顷储备土地进行前期开发，完成道路、供水、供电等基础设施建设。
"""

SAMPLES: dict[str, str] = {
    "news_summary": NEWS_SUMMARY,
    "mu_only": MU_ONLY,
    "hectare_four_decimals": HECTARE_FOUR_DECIMALS,
    "rolling_2026_2028": ROLLING_2026_2028,
    "combined_supply_reserve": COMBINED_SUPPLY_RESERVE,
    "truncated": TRUNCATED,
    "corrupted_number": CORRUPTED_NUMBER,
    "table_with_count": TABLE_WITH_COUNT,
    "inconsistent": INCONSISTENT,
    "prose_supply": PROSE_SUPPLY,
    "national_template": NATIONAL_TEMPLATE,
    "supply_plan": SUPPLY_PLAN,
    "paren_list": PAREN_LIST,
}

#: samples a correct auditor leaves without error findings
CONSISTENT = (
    "news_summary",
    "mu_only",
    "hectare_four_decimals",
    "rolling_2026_2028",
    "combined_supply_reserve",
    "table_with_count",
    "prose_supply",
    "national_template",
    "supply_plan",
    "paren_list",
)
