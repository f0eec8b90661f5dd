"""Which lines OpenCC's traditional → simplified conversion (``t2s``) can change, known from its dictionaries.

OpenCC converts a text by matching the keys of the dictionaries ``t2s.json`` names (normalisation, then
phrases and characters) and writing each matched key's first value; a character that no key matches is
copied. So a text changes only where a *changing* key (one whose value differs from it) stands in it.
Every changing key holds a character of ``WITNESS_CLASS``: a key of one character is its own witness, and a
phrase none of whose characters changes alone (``藉口``) has one of its characters listed. A line holding
no witness is therefore copied unchanged, and OpenCC need not be asked (nor loaded).

That is proven for the dictionary files it was computed from: ``DICTIONARY_SHA256`` are their digests,
compared with the installed files on first use; with any other files (another OpenCC version) every line
goes to OpenCC. ``tests/test_traditional_witnesses.py`` reads the changing keys out of the installed files
with OpenCC's own tool, checks that each holds a witness, and converts every character that is none.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from functools import cache
from pathlib import Path

#: always given to OpenCC: the astral planes (their witnesses are not listed) and lone surrogates (which
#: the UTF-8 encoding before OpenCC refuses, as it did)
_ALWAYS = "\ud800-\udfff\U00010000-\U0010ffff"


def share_dir() -> Path | None:
    """The folder of OpenCC's configurations and dictionaries (as ``opencc.OpenCC`` finds it), not imported."""
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "clib" / "share" / "opencc"


@cache
def witnesses() -> re.Pattern[str] | None:
    """The pattern finding a witness, or ``None`` when the installed dictionaries are not those it was made
    from (or a ``t2s.json`` in the working folder, which ``opencc.OpenCC`` reads first, replaces them)."""
    folder = share_dir()
    if folder is None or os.path.isfile("t2s.json"):
        return None
    for name, digest in DICTIONARY_SHA256.items():
        try:
            data = (folder / name).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
    return re.compile(f"[{WITNESS_CLASS}{_ALWAYS}]")


def may_change(text: str) -> bool:
    """Whether OpenCC's ``t2s`` could change ``text`` (``False``: it copies it, proven as above)."""
    pattern = witnesses()
    return pattern is None or pattern.search(text) is not None


# made by ``python tests/test_traditional_witnesses.py`` from OpenCC 1.4.2's dictionaries
#: the witnesses of the plane of two-byte characters, as a regex class of ranges
WITNESS_CLASS = (
    "㑮-㑯㑳㑶㒓㓄㓨㔋㖮㗲㗿㘉㘓-㘔㘚㛝㜄㜏-㜐㜗㜢㜷㞞㟺㠏㠣㢗㢝㥮㦎㦛㦞㨻㩋㩜㩳㩵㪎㯤㰙㵗㵾㶆㷍㷿㸇㹽㺏㺜㻶㿖-㿗㿧䀉䀹䁪䁻䂎䃮䅐䅳䆉䉑䉙䉬䉲䉶䊭䊷䊺䋃䋔䋙-䋚䋦䋹䋻-䋼䋿䌈䌋䌖䌝䌟䌥䌰䍤䍦䍽䎙䎱䓣䕤䕳"
    "䖅䗅䗿䙔䙡䙱䚩䛄䛳䜀䜖䝭䝻-䝼䞈䞋䞓䟃䟆䟐䠆䠱䡐䡩䡵䢨䤤䥄䥇䥑䥕䥗䥩䥯䥱䦘䦛䦟䦯䦳䧢䪊䪏䪗-䪘䪴䪾䫀䫂䫟䫴䫶䫻䫾䬓䬘䬝-䬞䬧䭀䭃䭑䭔䭿䮄䮝-䮞䮠䮫䮰䮳䮾䯀䯤䰾䱀-䱁䱙䱧䱬䱰䱷-䱸䱽䲁䲅䲖䲘䲰䳜䳢䳤䳧䳫"
    "䴉䴋䴬䴱䴴䴽䵳-䵴䶕䶲丟並乾亂亙亞佇-佈佔併來侖侶-侷俁-係俓-俔俠俥俬倀倆倈-倉個們倖倫倲偉偑側-偵偽傌傑傖傘-備傢傭傯傳-債傷傾僂僅僉僑僕僞僤-僥僨僱價儀-儂億儈-儉儎儐儔-儕儘償儣優儭儲儷-儸儺"
    "-儼兇兌-免兒兗內兩兵冊冑冤冪凈凌-凍凙凜凱函別刪剄則剋剎剗剛剝剮剴-創剷剾劃-劄劇劉-劊劌-劍劏劑劚助勁勑動務勛勝-勞勢-勣勩勱勳勵勸勻匭匯匱區卉協卹卻卽厙-厚厠厤厭厲厴參-叄反叢吒吟吳吶呂呈命咼員"
    "哩哯唄唓唸問啓啞-啟啢喎喚喪-喬單喲喻嗆-嗇嗊嗎嗚嗩嗰嗶嗹嘆嘍嘓-嘔嘖-嘗嘜嘩-嘪嘮-嘰嘳嘵嘸嘺嘽噁噅噓噚噝-噞噠噥-噦噯噲噴噸-噹嚀嚇嚌嚐嚕嚙嚛嚥-嚨嚮嚲-嚴嚶嚽囀-囃囅囈-囉囌囑-囒囪圇國圍園-圓"
    "圖團圞坏垻埡埨埬埰執堅堊堖堚堝堯報場塊-塋塏塒塗塚塢塤塵塸-塹塿墊墓墜墠墨墮墰墲-墳墶墻墾壇-壈壋壎壓壗-壚壜壞-壠壢-壣壩-壪壯壺壼-壽夠夢夥夾奐奧奩-奪奬奮奼如妝姍姦威娙娛婁婡婦婭媈媧媯-媰媼-媽"
    "嫋嫗嫵嫺-嫻嫿-嬀嬃嬇-嬈嬋-嬌嬙嬡嬣-嬤嬦嬪嬰嬸嬻孃-孄孆-孇孋-孌孎孫學孻孾-孿宮寀寂寠-寢實-寧審寫-寬寵-寶將-專尋對-導尷屆屍屓屜屢層屨-屩屬岡峯峴島峽崍崑崗崙崢崬嵐嵗嵼-嵾嶁嶄嶇-嶈嶔嶗-"
    "嶘嶠嶢嶧-嶨嶮嶸-嶺嶼-嶽巊-巋巒巔巖-巘巰巹帥師帳帶幀幃幓幗-幘幝幟幣幩幫-幬幷幹幾庫廁-廂廄廈廎廕廚廝-廣廧廩廬廳弒弔弳張強彃-彄彆彈彌彎彔彙彠彥彫彲彿-往後徑從徠復徵徹徿志恆恥悅悞悵-悶悽惡惱-"
    "惲惻愛-愜愨愴愷愻愾慄態慍慘慚慟慣-慤慪-慫慮慳慶慺慼慾憂憊憐-憒憖憚憢憤憫憮憲憶憸-憹懀懇應懌-懎懞-懟懣-懤懨懲懶-懸懺懼懾戀戇戔戟戧戩戰-戲戶扞找拋拚拜挩挱挾捨捫捱-捲掃-掄掆掌掗掙-掛採揀揚-"
    "換揮-揯損搖-搗搧搵-搶摋摐-摑摜摟摯摳摶摺-摻撈撊撏-撐撓撝撟撣撥撧撫撲-撳撻撾-撿擁擄擇擊-擋擓-擔據擟-擡擣擫-擬擯-擲擴擷擺-擾攄攆攋攏攔攖攙攛-攝攢-攤攪攬故敎敓敗-敘敵數斂-斃斅-斆斕斬斷"
    "-斸於旂旣昇昏時晉晛晝暈-暉暐暗-暘暢暫曄曆-曇曉-曊曏曖曠曥曨曬書會朥朧朮東枴柵柺-査校桱桿梔梖梘梜-條梟梲棄棊棖-棗棟棡棧棲棶椏椲楇楊楓楨業極榘榦榪榮榲榿槁構槍槓槤槧-槨槫槮槳槶槼樁-樂樅樑樓標樞"
    "樠樢-樤樧樫樳樸-樺樿橈橋機橢橫橯檁檉檔檜檟檢-檣檭-檯檳檵檸檻櫃櫅櫍櫓櫚-櫛櫝-櫠櫥櫧-櫨櫪-櫬櫱櫳櫸櫻欄-欅欇權欍欏-欓欖欘欞欽歎歐歟歡歲歷-歸歿殘殞殢殤殨殫殭-殰殲殺-殼毀毆毊毿氂氈氌氣氫-氭氳"
    "氾汎汙決沈沒沖況泝洩洶浹浿涇涗涼淒淚淥淨-淪淵-淶淺渙減渢渦測渾湊-湋湞湧湯溈準溝溡溫溮溳溼滄-滅滌滎滑滙滬滯滲滷-滸滻滾-滿漁漊漍漚漢-漣漬漲漵漸漿潁潑潔-潕潙-潛潣-潤潯-潰潷潿-澀澅-澇澐澗澠澤"
    "澦澩澫-澬澮澱澾濁濃-濄濆濕濘濚-濜濟濤濧濫濰-濱濺濼濾-濿瀂-瀃瀅-瀇瀉瀋瀏瀕瀘瀝瀟-瀠瀦-瀨瀰瀲瀾灃-灄灍灑-灒灕灘-灙灝灡灣-灤灧灩災為烏烴無煇煉煒煙煢煥煩煬煱熂熅熉熌熒-熓熗熚熡熰-熲熾燀-燁"
    "燈-燉燒燖燙燜營燦燬-燭燴燶燻-燼燾爃-爄爇爍爐爖爛爥爧爭爲爺爾牀牆牘牴牽犖犛犞犢犧狀狹狽猌猙猶猻獁獃-獅獊獎獨-獫獮獰-獲獵獷-獸獺-獼玀-玁珼現琱琺琿瑋瑒瑣-瑤瑩-瑪瑲瑻瑽璉-璊璕璗璝璡璣璦璫璯-"
    "環璵璸璼-璿瓄-瓅瓊瓏瓔-瓕瓚-瓛甌甕甚產-産甦由畝畢畫異畵-當畼疇疊痙痠痮痾瘂瘋瘍瘓瘞瘡瘧瘮瘱-瘲瘺-瘻療癆-癇癉癐癒癘癟癡-癢癤-癥癧癩癬-癮癰-癲發皁皚皟皰皸皺盃盜盞盡監-盤盧-盨盪眝-眞眥眾睍"
    "睏睜睞瞘瞜瞞瞤瞭瞶瞼矇矉矑矓矚矯硃硜硤硨硯碕碙碩碭碸確碼-碽磑磚磠磣磧磯磽-磾礄礎礐礒礙礦礪-礬礮礱祕祿禍-禎禕禡禦禪禮禰-禱禿秈稅稈稏稜稟種稱穀穇穌-穎穠-穢穩穫穭窩-窪窮-窯窵-窶窺竄-竅竇-竈竊"
    "竚竪端竱競筆筍答筧筴箇箋箏箚節範築篋篔篘篠篢篤篩篳篸簀簂簍簑簞簡-簣簫簹簽-簾籃籅籋-籌籔籙籛-籜籟-籠籤籩-籪籬籮籲粵糉糝-糞糧糰糲糴糶糹-糺糾紀紂-紉紋納紐紓-紡紬紮細-紳紵紹-紺紼紿-絆絍-絎結"
    "絕絙絛絝-絞絡-絢絥-絨絪絰-絳絶絹-絺綀-綁綃-綄綆-綉綋-綌綎-綑經綖綜-綣綧綪-維綯-綵綸-綻綽-綿緄緇緊-緋緍緑-緔緗-線緝-緡緣-緤緦編-緩緬緮-緲練緶-緹緻-緼縈-縋縍-縎縐-縑縕縗縛縝-"
    "縟縣縧縫-縺總-績繂-繃繅-繆繈繏-繐繒-繕繚繞-繟繡-繢繨-繰繳繶-繹繻-繿纁纆-纈纊續-纍纏纓-纘纚纜缽罃罈罌罎罰罵罷羅-羆羈羋羣羥羨-義羵-羶習翫-翬翹翽耬耮聖聞聯-聰聲-聳聵-職聹聻聽-聾肅脅"
    "脈脛脣脥脩脫脹腎腖腡腦腪-腫腳腸膃膕膚膞膠膢膩膹膽-膿臉臍臏臗-臘臚臟-臠臢臥臨臺與-舊舖舘艙艣-艤艦艫艱艷芻苧茲茵荊莊莖莢莧菕華菴菸萇萊萬萴-萵葉葒葝葤葦葯葷蒍蒐蒓-蒕蒞蒭蒼蓀蓆蓋蓧蓮-蓯蓴蓽蔄蔔蔘"
    "蔞蔣蔥-蔦蔭蔯蔿蕁蕆蕎蕒-蕓蕕蕘蕝蕢蕩-蕪蕭蕳蕷蕽薀薆薈薊薌薑薔薘薟薦薩薳-薵薹-薺藉藍-藎藝藥藪藭藴藶-藷藹-藺蘀蘄蘆-蘇蘊-蘋蘚蘞-蘟蘢蘭蘺蘿虆虉處虛-虜號虧虯蛺-蛻蜆蝀蝕蝟蝦蝨蝸螄螞螢螮螻螿蟂蟄"
    "蟈蟎蟘蟜蟣蟬蟯蟲-蟳蟶蟻蠀-蠁蠅-蠆蠍蠐-蠑蠔蠙蠟蠣蠦蠨蠱蠶蠻蠾衆衊術衕衚-衛衝衹袞袷裊裏補-裝裡製複褌褘褲-褳褸褻襀襇襉襏襓襖-襘襝襠襤襪襬襯-襰襲襴-襵覆覈見覎-規覓視覘覛覡覥-覦親覬覯覲覷覹-覺"
    "覼-覽覿-觀觴觶觸訁-訃計訊訌討-訓訕-記訛-訟訢-訣訥訨-訪設許訴訶診-証詀-詁詆詊詎詐-詘詛詝-詞詠-詣試詩-詮詰-詳詵詷詼詿誂誄-誇誋-認誑-誒誕誘誚語誠-誡誣-誦誨說-説誰課-誴誶-誷誹-誺誼"
    "誾-調諂諄談諉請諍諏諑-諓論-諗諛-諟諡-諧諫諭-諴諶-諸諺諼諾謀-謂謄-謆謉-謊謎-謐謔謖-謗謙-講謝謠-謡謨謫-謭謯謱謳謸-謹謾譁-譂譅-譆證-譊譎-譏譑譓譖識-譚譜譞-譟譨譫譭譯-議譴護-譸譽-"
    "譾讀讅變-讌讎讒-讓讕-讖讚讜讞谿豈豎豐豔豬豵-豶貍貓貗貙貝-貢貧-責貯-貰貲-貴貶-貸貺-貽貿-賅資-賈賊賑-賓賕賙-賚賜-賤賦-賧質-賭賰賴-賵賺-賾贃-贅贇-贋贍贏-贑贓-贔贖-贗贚-贜赬趕趙趨"
    "趲跡踐踰踴蹌蹔-蹕蹟-蹠蹣-蹤蹳蹺-蹻躂躉-躋躍-躎躑-躓躕躘躚躝躡躥-躦躪軀軉-軍軏軑-軒軔-軕軗軛-軝軟軤軨軫-軬軲軷-軼軾-軿較-輅輇-輋輒-輗輛-輟輢輥-輦輨-輪輬輮-輯輳輶-輸輻-輼輾-轀轂"
    "轄-轇轉-轊轍-轎轐轔轗轟-轤辦辭-辯農迴逕這連週-進遊-運過達-違遙遜遞遠-遡適遱-遲遶-選遺遼邁還邇邊邏-邐郟郵鄆鄉鄒鄔鄖鄟鄧鄩鄭鄰鄲-鄴鄶鄺酇-酈醃醖醜醞-醟醣醫-醬醱-醲醶釀-釁釃釅釋釐釒-釕"
    "釗-釚針釟釣-釤釦-釩釲-釵釷釹-釺釾-鈁鈃-鈉鈋鈍-鈎鈐-鈒鈔-鈗鈛鈞鈠-鈡鈣鈥-鈧鈮-鈰鈲-鈴鈷-鈺鈽-鉁鉅-鉆鉈-鉋鉍鉑鉔-鉕鉗鉚-鉛鉝-鉞鉠鉢鉤-鉧鉬-鉮鉳鉶-鉸鉺-鉻鉽-銃銅銈銊銍銏銑銓銖銘"
    "銚-銜銠銣銥-銦銨-銬銱銳銶-銷銹銻-銼鋁-鋃鋅鋇鋉鋌鋏-鋐鋒鋗鋙鋝鋟-鋠鋣-鋦鋨-鋪鋭-鋱鋶鋸-鋹鋼錀-錂錄錆-錈錏-錐錒錕錘-錢錤-錦錨-錩錫錮-錯録-錳錶錸錼-錽鍀-鍁鍃-鍋鍍鍒鍔鍘鍚-鍛鍠鍤-"
    "鍥鍩鍬-鍮鍰鍵-鍶鍺鍼鍾鎂鎄鎇-鎈鎊鎌-鎍鎓-鎔鎖鎘-鎛鎝-鎞鎡-鎣鎦-鎧鎩-鎪鎬-鎰鎲-鎳鎵-鎸鎿鏃鏆-鏉鏌-鏍鏏-鏑鏗-鏘鏚鏜-鏟鏡-鏢鏤-鏦鏨鏰鏵鏷鏹-鏻鏽-鏾鐃-鐄鐇-鐈鐋鐍-鐐鐒-鐔鐘-鐙鐝"
    "鐠鐥-鐫鐮-鐯鐲-鐳鐵-鐶鐸鐺鐼-鐽鐿-鑀鑄鑉-鑊鑌鑑-鑒鑔-鑕鑞鑠鑣鑥鑪鑭鑰-鑲鑴鑷鑹鑼-鑿钁-钂長門閂-閃閆閈-閉開-閔閗-閘閝-閞閡閣-閥閨-閩閫-閭閱-閲閵-閶閹閻-閿闃闆-闍闐-闖關闞闠-闢"
    "闤-闥陘陝-陞陣陰陳陸陽隉-隊階隑隕際隤隨險隮-隯隱隴隸隻雋雖雙雛-雜雞離-難雲電霑霢-霣霧霼-霽靂靄靆靈-靉靚靜-靝靦-靨鞏鞝鞦鞽-鞾韁韃韆韉韋-韍韓韙-韞韠韻響頁-頃項-須頊頌-頔頗-領頜頠-頡頤"
    "頦頫頭-頮頰頲頴-頵頷-頹頻頽顂-顃顅-顆題-顏顒-顔顗-顙顛類顢-顣顥顧顫-顬顯-顱顳-顴風颭-颱颳颶-颸颺-颼颾飀飄飆飈飋飛飠飢-飣飥-飦飩-飫飭飯飱-飲飴-飶飼-飿餃-餅餈-養餌餎-餏餑-餘餚-"
    "餜餞餡餦-館餪-餭餱餳餵-餸餺餼餾-餿饁饃饅饈-饌饑-饒饗-饘饜饞-饠饢馬-馯馱馳-馴馹馼駁駃駉-駊駎駐-駕駘-駛駝-駟駡-駢駤駧駩-駫駭駰-駱駶駸駻-駼駿騁-騅騉-騊騌-騏騑騔騖騙-騚騜-騠騤騧騪-"
    "騫騭-騮騰-騱騴-騸騻-騼騾驀-驅驊-驏驓驕驗驙-驛驟驢驤-驦驨驪-驫骯髏髒體-髖髮鬆鬍鬖鬚鬠鬢鬥鬧-鬩鬮鬱鬹魎魘魚-魛魟魢魥-魦魨魯魴-魵魷魺魽鮀-鮁鮃-鮆鮈鮊-鮋鮍-鮎鮐-鮓鮚鮜-鮡鮣-鮤鮦鮪-鮫"
    "鮭-鮰鮳鮵-鮶鮸鮺鮿-鯁鯄鯆-鯇鯉-鯊鯒鯔-鯗鯛鯝-鯞鯡-鯢鯤鯧-鯨鯪-鯬鯰-鯱鯴鯶-鯷鯻鯽-鯿鰁-鰃鰆鰈-鰍鰏-鰓鰕鰛-鰜鰟-鰠鰣-鰩鰫鰭-鰮鰱-鰳鰵-鰷鰹-鰾鱀鱂鱄-鱊鱒鱔鱖-鱘鱚鱝鱟-鱠鱢-鱤鱧"
    "-鱨鱭-鱯鱲鱷-鱸鱺鳥鳧鳩鳬鳲-鳴鳶-鳷鳼-鳾鴀鴃鴅-鴇鴉鴐鴒鴔-鴕鴗鴛-鴟鴣鴥-鴦鴨鴮-鴰鴲-鴴鴷鴻鴽鴿鵁-鵃鵊鵏-鵓鵚鵜-鵝鵟-鵡鵧鵩-鵬鵮-鵰鵲鵷鵾鶄鶇鶉-鶊鶌鶒-鶓鶖-鶘鶚鶠-鶡鶥-鶦鶩-鶪鶬"
    "-鶭鶯-鶲鶴鶹-鶼鶿-鷂鷄-鷅鷉-鷊鷐鷓-鷔鷖-鷗鷙-鷚鷟鷣-鷦鷨-鷩鷫鷭鷯鷲-鷴鷷-鷺鷽鷿鸂鸇鸊-鸌鸏鸑鸕鸗-鸘鸚-鸛鸝-鸞鹵鹹-鹺鹼-鹽麗麥麨-麬麯麲-麵麷麼-麽黃黌點黨黲黴黶-黷黽黿鼂鼉鼕鼴齊-"
    "齋齎-齏齒齔-齕齗-齙齜齟-齡齣齦-齧齩-齪齬-齰齲齴齶-齷齼齾龍-龎龐-龑龓-龕龜龭龯鿁鿓豈-嗀塚晴凞-羽蘒諸逸-都飯-舘並-龎"
)
DICTIONARY_SHA256: dict[str, str] = {
    "t2s.json": "96fe5cc374a80ccc49e3370006cce3aefe4af955868ae0b14fb3079ec695be4f",
    "CJK_Compatibility_Ideographs.ocd2": "4b1faa6649012f524068ec18c0fb520ead343c11cbe0a8e4c8853ca61369d666",
    "TSPhrases.ocd2": "2b722237cc00a4ac985790deb6a68c99f34de10e980a0029ac82c72b0f7ae22b",
    "TSCharactersExt.ocd2": "e2b0286801dcd1d26119d19ba8b8a35cde021ec173468255d117c4c0951b2906",
    "TSCharacters.ocd2": "7a994de7900707925fac9c68728a6bb9cf3059870426f661cf31b601efbf5f2f",
}
