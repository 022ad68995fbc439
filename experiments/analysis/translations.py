"""Every word the report, its figures, the dashboard and the family cards show, in English and
Persian: the one translation table, and :func:`text` to read it from anywhere.

A key names a label or a sentence; ``{name}`` marks a value filled in by :func:`text`. Numbers
are written in English digits in both languages (``labels.numerals`` writes them in Persian
digits where the text is shown). Keys ``outcome ...``, ``scenario ...``, ``constraint ...``,
``status ...`` and ``unit ...`` name the outcomes, the library's scenarios, the diagnosed
constraints, households' statuses and units (``labels``); keys ``card ...`` are the words of
the family cards and their pages (``cards``, ``diagnose``, ``advise``).
"""

from __future__ import annotations

import os

RIGHT_TO_LEFT = ("fa",)
"""The languages written right to left."""

TEXTS: dict[str, dict[str, str]] = {
    # the report's frame
    "report title": {"en": "{policies} policies against business as usual",
                     "fa": "{policies} سیاست در برابر وضع موجود"},
    "report intro": {
        "en": "Each policy is compared with the baseline ('{baseline}', business as usual), "
              "paired by replication: in each replication both have the same client "
              "households ({households} on average over the replications) meeting the same "
              "shocks (and, with parameter draws, the same parameters); {caption}.",
        "fa": "هر سیاست با وضع موجود («{baseline_name}»، ادامهٔ روال کنونی) مقایسه می‌شود، "
              "تکرار به تکرار جفت‌شده: در هر تکرار هر دو همان خانوارهای مددجو را دارند "
              "(به‌طور میانگین {households} خانوار در تکرارها) با همان شوک‌ها (و، با "
              "نمونه‌های پارامتر، همان پارامترها)؛ {caption}."},
    "report money z": {
        "en": "Money is in z, the poverty line: one z is what one person must consume in a "
              "month to be out of poverty (a family of four at the line consumes 4 z a month).",
        "fa": "مبالغ بر حسب z اند، یعنی خط فقر: یک z مصرفی است که یک نفر در یک ماه برای "
              "بیرون بودن از فقر لازم دارد (خانوادهٔ چهارنفره روی خط فقر ماهانه 4 z مصرف "
              "می‌کند)."},
    "report money converted": {
        "en": "Money in the text and tables is in {money}, at a poverty line of {line} "
              "{money} per person a month (amounts the model makes in z, the line, are "
              "converted at it); the charts and their captions stay in z.",
        "fa": "مبالغ متن و جدول‌ها بر حسب {money} اند، با خط فقر {line} {money} برای هر نفر "
              "در ماه (مبالغی که مدل بر حسب z، یعنی خط فقر، می‌سازد با همین نرخ تبدیل "
              "شده‌اند)؛ نمودارها و شرح آن‌ها بر حسب z می‌مانند."},
    "report leaving": {
        "en": "Client households leave the caseload at random, about {exit} a month whatever "
              "the policy (marriage, death, moving), and new ones enter; effects are among "
              "those still active, that is, not left.",
        "fa": "خانوارهای مددجو به‌طور تصادفی، حدود {exit} در ماه و مستقل از سیاست، از پوشش "
              "خارج می‌شوند (ازدواج، فوت، جابه‌جایی) و خانوارهای تازه وارد می‌شوند؛ اثرها میان "
              "خانوارهایی است که هنوز در برنامه‌اند، یعنی خارج نشده‌اند."},
    "report mixed code": {
        "en": "Caution: these runs were made by {revisions} revisions of the code (listed under "
              "Provenance), so an effect may mix a change of the code with the policy; run the "
              "sweep again into a new folder to compare one code.",
        "fa": "هشدار: این اجراها با {revisions} نسخهٔ متفاوت از کد ساخته شده‌اند (فهرست آن‌ها "
              "در بخش خاستگاه نتایج آمده است)، پس ممکن است اثر یک سیاست با تغییر کد آمیخته باشد؛ "
              "برای مقایسه با یک نسخهٔ کد، مجموعه را دوباره در پوشه‌ای تازه اجرا کنید."},
    "Contents": {"en": "Contents", "fa": "فهرست"},
    "Summary": {"en": "Summary", "fa": "خلاصه"},
    "Who benefits": {"en": "Who benefits", "fa": "چه کسانی سود می‌برند"},
    "Comparison": {"en": "Comparison", "fa": "مقایسه"},
    "Costs": {"en": "Costs", "fa": "هزینه‌ها"},
    "Figures": {"en": "Figures", "fa": "نمودارها"},
    "Diagnosis": {"en": "Diagnosis", "fa": "تشخیص"},
    "Scenarios": {"en": "Scenarios", "fa": "سناریوها"},
    "Provenance": {"en": "Provenance", "fa": "خاستگاه نتایج"},
    # summary
    "summary note": {
        "en": "Policies ranked by their effect on the {outcome} at month {month} among the "
              "client households still active, each against the baseline (business as usual) "
              "with the same households and shocks; {caption}. Cost per "
              "client spreads a policy's programme spending (loans net of repayment) over "
              "every client household; cost per participant over those it served. "
              "Benefit-cost is the discounted consumption gained per {money} spent over the "
              "horizon. 'Out of poverty per {spending}' is the fall in the number of poor "
              "households at that month for each {spending} spent, with the effect's interval "
              "scaled the same way (spending taken as known): where the effect cannot be told "
              "from zero, neither can this. Where a policy lends, its spending counts only what "
              "is not repaid (the Costs section gives what it lent), so its ratios are per "
              "{money} not recovered. The chance of being the best is "
              "the {chance}, the ranking of the equal-budget view below taken within each "
              "replication.",
        "fa": "سیاست‌ها به ترتیب اثرشان بر {outcome} در ماه {month} میان خانوارهای مددجویی که "
              "هنوز در برنامه‌اند رتبه‌بندی شده‌اند، هر یک در برابر وضع موجود با همان خانوارها "
              "و همان شوک‌ها؛ {caption}. هزینه برای هر مددجو "
              "هزینهٔ برنامه‌های یک سیاست (وام‌ها پس از کسر بازپرداخت) را میان همهٔ خانوارهای "
              "مددجو پخش می‌کند و هزینه برای هر شرکت‌کننده میان خانوارهایی که خدمت گرفته‌اند. "
              "نسبت منفعت به هزینه، مصرف افزوده‌شدهٔ تنزیل‌شده به ازای هر {money} هزینه در "
              "طول دوره است. «خروج از فقر به ازای {spending}» کاهش شمار خانوارهای فقیر در آن "
              "ماه به ازای هر {spending} هزینه است، با بازهٔ اثر که به همان نسبت مقیاس شده "
              "است (هزینه معلوم فرض شده است): جایی که اثر از صفر جدا نمی‌شود، این عدد هم جدا "
              "نمی‌شود. جایی که سیاستی وام می‌دهد، هزینه‌اش تنها آن بخشی است که بازپرداخت "
              "نمی‌شود (بخش هزینه‌ها مبلغ وام‌داده‌شده را نشان می‌دهد)، پس نسبت‌هایش به ازای هر "
              "{money} بازنگشته است. احتمال بهترین بودن {chance} است، یعنی "
              "رتبه‌بندی نمای بودجهٔ برابرِ پایین در درون هر تکرار."},
    "caption fixed": {
        "en": "95 % interval over {replications} replications with fixed parameters "
              "(Monte-Carlo uncertainty only)",
        "fa": "بازهٔ 95 % بر پایهٔ {replications} تکرار با پارامترهای ثابت (تنها عدم قطعیت "
              "مونت‌کارلو)"},
    "caption nested": {
        "en": "95 % interval over {draws} posterior draws, {replications} replications in all "
              "(parameter and Monte-Carlo uncertainty; the parameter share is given)",
        "fa": "بازهٔ 95 % بر پایهٔ {draws} نمونه از توزیع پسین، در کل {replications} تکرار "
              "(عدم قطعیت پارامترها و مونت‌کارلو؛ سهم پارامترها آمده است)"},
    "caption drawn": {
        "en": "95 % interval over {replications} replications, each with its own posterior "
              "draw (parameter and Monte-Carlo uncertainty)",
        "fa": "بازهٔ 95 % بر پایهٔ {replications} تکرار، هر یک با نمونهٔ خود از توزیع پسین "
              "(عدم قطعیت پارامترها و مونت‌کارلو)"},
    "chance fixed": {"en": "with fixed parameters: Monte-Carlo uncertainty only",
                     "fa": "با پارامترهای ثابت: تنها عدم قطعیت مونت‌کارلو"},
    "chance drawn": {"en": "each with a posterior draw: parameter and Monte-Carlo uncertainty",
                     "fa": "هر یک با نمونه‌ای از توزیع پسین: عدم قطعیت پارامترها و "
                           "مونت‌کارلو"},
    "chance note": {
        "en": "share of the {replications} replications ({which}) in which the policy does the "
              "most at {budget} {money} per client household",
        "fa": "سهمی از {replications} تکرار ({which}) که در آنها سیاست با {budget} {money} برای "
              "هر خانوار مددجو بیشترین اثر را دارد"},
    "rank": {"en": "rank", "fa": "رتبه"},
    "policy": {"en": "policy", "fa": "سیاست"},
    "effect on": {"en": "effect on {outcome}", "fa": "اثر بر {outcome}"},
    "95 % interval": {"en": "95 % interval", "fa": "بازهٔ 95 %"},
    "households served": {"en": "households served", "fa": "خانوارهای خدمت‌گرفته"},
    "served, still active": {"en": "served, still active",
                             "fa": "خدمت‌گرفته و هنوز در برنامه"},
    "cost per client": {"en": "cost per client ({money})",
                        "fa": "هزینه برای هر مددجو ({money})"},
    "cost per participant": {"en": "cost per participant ({money})",
                             "fa": "هزینه برای هر شرکت‌کننده ({money})"},
    "benefit-cost": {"en": "benefit-cost", "fa": "منفعت به هزینه"},
    "out of poverty per": {"en": "out of poverty per {spending}",
                           "fa": "خروج از فقر به ازای {spending}"},
    "a billion": {"en": "billion {money}", "fa": "میلیارد {money}"},
    "answer": {
        "en": "Answer: of the policies whose improvement the replications can tell from zero, "
              "{name} does the most: {effect} on the {outcome} at month {month} (95 % "
              "interval {interval}), at {cost} {money} per client household.",
        "fa": "پاسخ: از میان سیاست‌هایی که تکرارها بهبودشان را از صفر جدا می‌کنند، {name} "
              "بیشترین اثر را دارد: {effect} بر {outcome} در ماه {month} (بازهٔ 95 %: "
              "{interval})، با هزینهٔ {cost} {money} برای هر خانوار مددجو."},
    "answer none": {
        "en": "Answer: no policy {verb} the {outcome} at month {month} by an amount the "
              "replications can tell from zero; the best estimate is {name}'s, {effect} "
              "(95 % interval {interval}).",
        "fa": "پاسخ: هیچ سیاستی {outcome} را در ماه {month} به اندازه‌ای {verb} که "
              "تکرارها بتوانند آن را از صفر جدا کنند؛ بهترین برآورد از آنِ {name} است: "
              "{effect} (بازهٔ 95 %: {interval})."},
    "answer verb lower": {"en": "lowers", "fa": "پایین نمی‌آورد"},
    "answer verb raise": {"en": "raises", "fa": "بالا نمی‌برد"},
    "answer larger estimate": {
        "en": "{name}'s estimate is larger, {effect}, but its 95 % interval {interval} "
              "includes zero.",
        "fa": "برآورد {name} بزرگ‌تر است، {effect}، اما بازهٔ 95 % آن ({interval}) صفر را "
              "هم در بر می‌گیرد."},
    "answer likeliest best": {
        "en": "At an equal budget of {budget} {money} per client household, {name} is the "
              "best in {chance} of the replications, {named} in {named_chance} (the equal-"
              "budget view below).",
        "fa": "با بودجهٔ برابر {budget} {money} برای هر خانوار مددجو، {name} در {chance} از "
              "تکرارها بهترین است و {named} در {named_chance} (نمای بودجهٔ برابر در پایین)."},
    "answer few": {
        "en": "Only {replications} replications: too few to act on this ranking; run at "
              "least {needed} seeds.",
        "fa": "تنها {replications} تکرار: برای تصمیم بر پایهٔ این رتبه‌بندی کم است؛ دست‌کم "
              "{needed} تکرار (seed) اجرا کنید."},
    "answer one": {
        "en": "Only one replication: too few to act on this ranking; run at least {needed} "
              "seeds.",
        "fa": "تنها یک تکرار: برای تصمیم بر پایهٔ این رتبه‌بندی کم است؛ دست‌کم {needed} "
              "تکرار (seed) اجرا کنید."},
    "sentence no effect": {
        "en": "{name} has no effect on the {outcome} at month {month} that the replications "
              "can tell from zero ({effect}, 95 % interval {interval})",
        "fa": "{name} در ماه {month} اثری بر {outcome} ندارد که تکرارها بتوانند آن را از "
              "صفر جدا کنند ({effect}، بازهٔ 95 %: {interval})"},
    "sentence lowers": {
        "en": "{name} lowers the {outcome} at month {month} by {effect} (95 % interval "
              "{interval})",
        "fa": "{name} {outcome} را در ماه {month} به اندازهٔ {effect} پایین می‌آورد (بازهٔ "
              "95 %: {interval})"},
    "sentence raises": {
        "en": "{name} raises the {outcome} at month {month} by {effect} (95 % interval "
              "{interval})",
        "fa": "{name} {outcome} را در ماه {month} به اندازهٔ {effect} بالا می‌برد (بازهٔ "
              "95 %: {interval})"},
    "sentence reach": {
        "en": "{what}, serving {served} of {households} client households at {cost} {money} "
              "per client",
        "fa": "{what}؛ به {served} خانوار از {households} خانوار مددجو خدمت می‌دهد، با هزینهٔ "
              "{cost} {money} برای هر مددجو"},
    "sentence value": {
        "en": "{reach} ({cost} {money} per participant); each {money} spent returns {ratio} "
              "{money} of consumption over the horizon.",
        "fa": "{reach} ({cost} {money} برای هر شرکت‌کننده)؛ هر {money} هزینه در طول دوره "
              "{ratio} {money} مصرف بازمی‌گرداند."},
    "sentence lending": {
        "en": "It lent {lent} {money}, of which {returned} {money} was repaid to it: its costs "
              "count what was not.",
        "fa": "{lent} {money} وام داد که {returned} {money} از آن بازپرداخت شد: هزینه‌هایش "
              "آن بخشی را می‌شمارد که بازنگشت."},
    "At an equal budget": {"en": "At an equal budget", "fa": "با بودجهٔ برابر"},
    "equal budget note": {
        "en": "Each policy's effect at the same spending, {budget} {money} per client household "
              "(the median policy's). A policy that cost more is scaled down in proportion to "
              "its spending, as if it served proportionally fewer families: one that cost twice "
              "that has its effect halved. A policy that cost less keeps its own cost and "
              "effect: its take-up, not the budget, limits what it spends, and the rest of the "
              "budget is left unspent. Scaling down assumes an effect shrinks in proportion to "
              "coverage, which a threshold or a crowded job market can break; this table "
              "compares what one budget buys, it does not forecast a smaller programme, which "
              "must be run. What each {money} buys, where a cheap policy can lead, is in the "
              "benefit-cost and 'out of poverty' columns above.",
        "fa": "اثر هر سیاست با هزینه‌ای یکسان: {budget} {money} برای هر خانوار مددجو (هزینهٔ "
              "سیاست میانه). سیاستی که بیش از آن هزینه داشته به نسبت هزینه‌اش کوچک شده است، "
              "گویی به همان نسبت به خانوارهای کمتری خدمت می‌دهد: سیاستی که دو برابر آن هزینه "
              "داشته، اثرش نصف می‌شود. سیاستی که کمتر هزینه داشته با هزینه و اثر خودش آمده "
              "است: میزان استقبال از آن، نه بودجه، هزینه‌اش را محدود می‌کند و باقی بودجه خرج "
              "نمی‌شود. کوچک کردن فرض می‌کند که اثر به نسبت پوشش کوچک می‌شود، فرضی که آستانهٔ "
              "دارایی یا بازار کار پرازدحام می‌تواند آن را بشکند؛ این جدول مقایسه می‌کند که یک "
              "بودجه چه می‌خرد و برنامهٔ کوچک‌تر را پیش‌بینی نمی‌کند؛ آن را باید اجرا کرد. "
              "آنچه هر {money} می‌خرد، که در آن سیاست ارزان می‌تواند پیش باشد، در ستون‌های "
              "سود به هزینه و «خروج از فقر» بالا آمده است."},
    "own cost per client": {"en": "own cost per client ({money})",
                            "fa": "هزینهٔ خود برای هر مددجو ({money})"},
    "effect at its own cost": {"en": "effect at its own cost", "fa": "اثر با هزینهٔ خود"},
    "effect at budget": {"en": "effect at {budget} {money} per client",
                         "fa": "اثر با {budget} {money} برای هر مددجو"},
    "Participants, non-participants and all clients": {
        "en": "Participants, non-participants and all clients",
        "fa": "شرکت‌کنندگان، غیرشرکت‌کنندگان و همهٔ مددجویان"},
    "participants note": {
        "en": "All clients: the net effect over every client household still active, the one "
              "ranked above. Participants: the households the policy enrolled in any "
              "programme. Non-participants: the others, whose change is displacement "
              "(negative, e.g. jobs taken by participants) or spillover (positive).",
        "fa": "همهٔ مددجویان: اثر خالص بر همهٔ خانوارهای مددجویی که هنوز در برنامه‌اند، همان "
              "که در بالا رتبه‌بندی شد. شرکت‌کنندگان: خانوارهایی که سیاست در یکی از "
              "برنامه‌هایش پذیرفته است. غیرشرکت‌کنندگان: بقیه، که تغییرشان جابه‌جایی است (منفی، "
              "مثلاً شغل‌هایی که شرکت‌کنندگان گرفته‌اند) یا سرریز (مثبت)."},
    "outcome": {"en": "outcome", "fa": "پیامد"},
    "all clients": {"en": "all clients", "fa": "همهٔ مددجویان"},
    "participants": {"en": "participants", "fa": "شرکت‌کنندگان"},
    "non-participants": {"en": "non-participants", "fa": "غیرشرکت‌کنندگان"},
    "participants' share of active": {"en": "participants' share of active",
                                      "fa": "سهم شرکت‌کنندگان از فعالان"},
    # who benefits
    "who benefits note": {
        "en": "Effect on the {outcome} at month {month} by household type at the start "
              "({caption}): each group's share of poor households still active, "
              "against the same group in the baseline; 'share of clients' is the group's share "
              "of the client households still active then. k* is the asset threshold of the "
              "poverty trap; the line is z. A small group gives a wide interval.",
        "fa": "اثر بر {outcome} در ماه {month} بر حسب نوع خانوار در آغاز ({caption}): سهم "
              "خانوارهای فقیرِ هنوز در برنامه در هر گروه، در برابر همان "
              "گروه در وضع موجود؛ «سهم از مددجویان» سهم گروه از خانوارهای مددجویی است که در آن "
              "ماه هنوز در برنامه‌اند. k* آستانهٔ دارایی تلهٔ فقر است و خط فقر z است. گروه کوچک "
              "بازهٔ پهن می‌دهد."},
    "dimension": {"en": "dimension", "fa": "ویژگی"},
    "group": {"en": "group", "fa": "گروه"},
    "share of clients": {"en": "share of clients", "fa": "سهم از مددجویان"},
    "head of household": {"en": "head of household", "fa": "سرپرست خانوار"},
    "female-headed": {"en": "female-headed", "fa": "زن‌سرپرست"},
    "male-headed": {"en": "male-headed", "fa": "مردسرپرست"},
    "household size": {"en": "household size", "fa": "بُعد خانوار"},
    "1-2 people": {"en": "1-2 people", "fa": "1 تا 2 نفر"},
    "3-4 people": {"en": "3-4 people", "fa": "3 تا 4 نفر"},
    "5 or more people": {"en": "5 or more people", "fa": "5 نفر یا بیشتر"},
    "starting assets": {"en": "starting assets", "fa": "دارایی آغازین"},
    "below k*/2": {"en": "below k*/2 ({amount})", "fa": "کمتر از k*/2 ({amount})"},
    "k*/2 to k*": {"en": "k*/2 to k*", "fa": "k*/2 تا k*"},
    "k* or more": {"en": "k* ({amount}) or more", "fa": "k* ({amount}) یا بیشتر"},
    "depth of poverty": {"en": "depth of poverty", "fa": "عمق فقر"},
    "below half the line": {"en": "below half the line", "fa": "زیر نیمی از خط فقر"},
    "half the line to the line": {"en": "half the line to the line",
                                  "fa": "از نیمهٔ خط فقر تا خط فقر"},
    "not poor at the start": {"en": "not poor at the start", "fa": "در آغاز فقیر نبوده"},
    "diagnosed constraint": {"en": "diagnosed constraint", "fa": "مانع تشخیص‌داده‌شده"},
    # comparison and costs
    "comparison note": {
        "en": "Every outcome at every month compared, policies in the order of the ranking, "
              "each effect with its {caption}. Differences of shares are in percentage points "
              "(pp); participants' and non-participants' effects are given at the months with "
              "household snapshots.{share}",
        "fa": "همهٔ پیامدها در همهٔ ماه‌های مقایسه، سیاست‌ها به ترتیب رتبه، هر اثر با "
              "{caption}. تفاوت سهم‌ها بر حسب واحد درصد است؛ اثر بر شرکت‌کنندگان و "
              "غیرشرکت‌کنندگان در ماه‌هایی آمده که تصویر خانوارها ذخیره شده است.{share}"},
    "parameter share note": {
        "en": " The parameter share is the part of the effect's variance over replications "
              "that is parameter uncertainty (law of total variance; several seeds per "
              "posterior draw).",
        "fa": " سهم پارامترها آن بخش از واریانس اثر میان تکرارهاست که از عدم قطعیت "
              "پارامترها می‌آید (قانون واریانس کل؛ چند تکرار برای هر نمونهٔ پسین)."},
    "month": {"en": "month", "fa": "ماه"},
    "baseline": {"en": "baseline", "fa": "وضع موجود"},
    "with the policy": {"en": "with the policy", "fa": "با سیاست"},
    "effect on all clients": {"en": "effect on all clients", "fa": "اثر بر همهٔ مددجویان"},
    "on participants": {"en": "on participants", "fa": "بر شرکت‌کنندگان"},
    "on non-participants": {"en": "on non-participants", "fa": "بر غیرشرکت‌کنندگان"},
    "replications": {"en": "replications", "fa": "تکرارها"},
    "parameter share": {"en": "parameter share", "fa": "سهم پارامترها"},
    "chance of being the best": {"en": "chance of being the best",
                                 "fa": "احتمال بهترین بودن"},
    "costs note": {
        "en": "Programme spending (loans net of their repayment) over the horizon, mean over "
              "replications; benefit-cost ratios discounted at {rate} a year, each with its "
              "{caption}: over the simulated horizon alone, and with the mean monthly gain of "
              "the last year held for ever after it.{lending}",
        "fa": "هزینهٔ برنامه‌ها (وام‌ها پس از کسر بازپرداخت) در طول دوره، میانگین تکرارها؛ "
              "نسبت‌های منفعت به هزینه با نرخ تنزیل {rate} در سال، هر یک با {caption}: تنها در "
              "دورهٔ شبیه‌سازی، و با فرض ماندگاری همیشگی میانگین سود ماهانهٔ سال آخر پس از "
              "آن.{lending}"},
    "spent": {"en": "spent ({money})", "fa": "هزینه‌شده ({money})"},
    "lent": {"en": "lent, gross ({money})", "fa": "وام پرداخت‌شده، ناخالص ({money})"},
    "lending note": {
        "en": " Of a policy's loans, its spending counts what it lent less what was repaid "
              "to it (both given): the capital it needs is what it lent, and its ratios are "
              "per {money} not recovered.",
        "fa": " از وام‌های یک سیاست، در هزینه‌اش مبلغ وام‌ها منهای بازپرداخت آنها شمرده "
              "می‌شود (هر دو آمده‌اند): "
              "سرمایهٔ لازم برای آن همان مبلغ وام‌هاست و نسبت‌هایش به ازای هر {money} "
              "بازنگشته است."},
    "repaid to the programme": {"en": "repaid to the programme ({money})",
                                "fa": "بازپرداخت‌شده به برنامه ({money})"},
    "extra sustained graduations": {"en": "extra sustained graduations",
                                    "fa": "خروج‌های پایدار افزوده"},
    "cost per extra sustained graduation": {
        "en": "cost per extra sustained graduation ({money})",
        "fa": "هزینه برای هر خروج پایدار افزوده ({money})"},
    "benefit-cost over the horizon": {"en": "benefit-cost over the horizon",
                                      "fa": "منفعت به هزینه در طول دوره"},
    "with the last year's gain held": {"en": "with the last year's gain held",
                                       "fa": "با ماندگاری سود سال آخر"},
    # diagnosis
    "diagnosis note": {
        "en": "Why the poor stay poor, at the final month, lowest seed: of the households "
              "poor then, the share that each lever alone lifts above the line within the "
              "diagnosis horizon (several levers can lift the same household, so the shares "
              "add up to more than the whole), the share that no lever lifts (none) and the "
              "share above the line without any (escapes without help).",
        "fa": "چرا فقیران فقیر می‌مانند، در ماه پایانی، نخستین تکرار: از خانوارهایی که آن "
              "هنگام فقیرند، سهمی که هر اهرم به‌تنهایی در افق تشخیص از خط فقر بالا می‌برد "
              "(چند اهرم هم می‌توانند)، سهمی که هیچ اهرمی بالا نمی‌برد (هیچ‌کدام) و سهمی که بی "
              "هیچ اهرمی از خط فقر بالا می‌رود (خروج بدون کمک)."},
    "not diagnosed": {
        "en": "The runs were not diagnosed (diagnosis.horizon_months=0), so this section and "
              "the figure of binding constraints are left out; run the sweep with a diagnosis "
              "horizon above 0 to have them.",
        "fa": "اجراها تشخیص نشده‌اند (diagnosis.horizon_months=0)، پس این بخش و نمودار موانع "
              "اصلی حذف شده‌اند؛ برای داشتن آنها اجرا را با افق تشخیص بیش از صفر تکرار کنید."},
    "scenario": {"en": "scenario", "fa": "سناریو"},
    "poor": {"en": "poor", "fa": "فقیر"},
    "lifted by": {"en": "lifted by {lever}", "fa": "بالابرده با {lever}"},
    # scenarios and provenance
    "scenarios note": {
        "en": "What each policy changes in the baseline's settings ('{baseline}'); every "
              "other setting is the baseline's.",
        "fa": "آنچه هر سیاست در تنظیمات وضع موجود («{baseline_name}») تغییر می‌دهد؛ بقیهٔ "
              "تنظیمات همان تنظیمات وضع موجود است."},
    "settings": {"en": "settings", "fa": "تنظیمات"},
    "the baseline's settings": {"en": "the baseline's settings",
                                "fa": "همان تنظیمات وضع موجود"},
    "runs and seeds": {"en": "runs: {runs}; seeds: [{seeds}]",
                       "fa": "اجراها: {runs}؛ تکرارها: {seeds}"},
    "code revision(s)": {"en": "code revision(s)", "fa": "نسخهٔ کد"},
    "hosts": {"en": "hosts", "fa": "رایانه‌ها"},
    "started and finished": {"en": "started {started}, finished {finished}",
                             "fa": "آغاز {started}، پایان {finished}"},
    "packages": {"en": "packages", "fa": "بسته‌ها"},
    "config hashes": {"en": "config hashes", "fa": "چکیدهٔ پیکربندی‌ها"},
    # figure captions
    "forest caption": {
        "en": "{name} changes the {outcome} most at month {month} ({effect}). Effect of each "
              "policy, best first, with its {caption}; an interval crossing zero is no effect "
              "the replications can tell.",
        "fa": "{name} بیشترین تغییر را در {outcome} در ماه {month} می‌دهد ({effect}). اثر هر "
              "سیاست، بهترین نخست، با {caption}؛ بازه‌ای که از صفر می‌گذرد اثری نیست که "
              "تکرارها بتوانند تشخیص دهند."},
    "cost-effectiveness caption": {
        "en": "Cost per client household against the effect on the poverty headcount; "
              "policies on the dashed frontier give the most for their cost.",
        "fa": "هزینه برای هر خانوار مددجو در برابر اثر بر نرخ فقر؛ سیاست‌های روی مرز "
              "خط‌چین بیشترین اثر را به ازای هزینه‌شان دارند."},
    "effect over time caption": {
        "en": "Effect on consumption per person, month by month, each policy on its own "
              "scale; a value beyond the scale (a short spike) is written at the panel's "
              "edge.",
        "fa": "اثر بر مصرف سرانه، ماه به ماه، هر سیاست با مقیاس خودش؛ مقداری بیرون از مقیاس "
              "(جهشی کوتاه) در لبهٔ نمودار نوشته شده است."},
    "headcount over time caption": {
        "en": "Poverty headcount among the households still active, and how many are still "
              "active (the others have left the programme). Seeds differ in their level far "
              "more than in the effects, which compare a policy with the baseline within one "
              "seed: the effects and their intervals are in the effect figures. A month far "
              "off the scale (a short spike, such as the month a grant is paid) is written at "
              "the edge.",
        "fa": "نرخ فقر میان خانوارهای هنوز در برنامه، و شمار آنها (بقیه از برنامه بیرون "
              "رفته‌اند). سطح تکرارها بسیار بیش از اثرها با هم فرق دارد؛ اثرها سیاست را در "
              "همان تکرار با وضع موجود مقایسه می‌کنند و با بازه‌هایشان در نمودارهای اثر آمده‌اند. "
              "ماهی که بسیار بیرون از مقیاس است (جهشی کوتاه، مانند ماه پرداخت کمک) در لبهٔ نمودار "
              "نوشته شده است."},
    "consumption over time caption": {
        "en": "Consumption per person among the households still active (the effects are "
              "in the effect figures).",
        "fa": "مصرف سرانه میان خانوارهای هنوز در برنامه (اثرها در نمودارهای اثر "
              "آمده‌اند)."},
    "over time finding": {
        "en": "Medians over seeds: {start} at month {first} and {base} at month {last} in the "
              "baseline; {best} at month {last} with {name}.",
        "fa": "میانهٔ تکرارها: در وضع موجود {start} در ماه {first} و {base} در ماه {last}؛ "
              "با {name} {best} در ماه {last}."},
    "asset map caption": {
        "en": "Asset map of the baseline, every seed: the mean change in a household's assets "
              "over a year against its assets at the start. Where the curve crosses zero, "
              "households neither gain nor lose on average: they move towards a stable point "
              "(dot) from both sides and away from an unstable one (diamond), so an unstable "
              "point is a threshold; each point's bar is where the 95 % band holds zero. Here "
              "the stable points are at {stable} and the unstable ones at {unstable}.",
        "fa": "نقشهٔ دارایی وضع موجود، همهٔ تکرارها: میانگین تغییر دارایی خانوار در یک سال در "
              "برابر دارایی‌اش در آغاز. جایی که منحنی از صفر می‌گذرد، خانوارها به‌طور میانگین "
              "نه چیزی به دست می‌آورند و نه از دست می‌دهند: از هر دو سو به سوی نقطهٔ پایدار "
              "(دایره) می‌روند و از نقطهٔ ناپایدار (لوزی) دور می‌شوند، پس نقطهٔ ناپایدار آستانه "
              "است؛ میلهٔ هر نقطه جایی است که نوار 95 % صفر را در بر دارد. اینجا نقاط پایدار "
              "در {stable} و نقاط ناپایدار در {unstable} اند."},
    "no point": {"en": "none", "fa": "هیچ"},
    "and": {"en": " and ", "fa": " و "},
    "consumption distributions caption": {
        "en": "Consumption per person at the start and at the end (seed {seed}): its median "
              "among the households still active went from {start} z at month {first} to "
              "{base} z at month {last} in the baseline, and to {best} z with {name}.",
        "fa": "مصرف سرانه در آغاز و در پایان (تکرار {seed}): میانهٔ خانوارهای هنوز در برنامه "
              "از {start} z در ماه {first} به {base} z در ماه {last} در وضع موجود رسید، و با "
              "{name} به {best} z."},
    "binding constraints caption": {
        "en": "Why the poor stay poor at the end (seed {seed}): shares of the households "
              "still active. Each poor household is counted once: by the one lever that alone "
              "lifts it above the line, 'several' if more than one would, 'none' if none "
              "would, 'escapes without help' if it gets out without any (the Diagnosis table "
              "counts every lever that would, so its shares overlap). Beside each bar, how "
              "many have left since the start.",
        "fa": "چرا فقیران در پایان فقیر می‌مانند (تکرار {seed}): سهم خانوارهای هنوز در "
              "برنامه. هر خانوار فقیر یک بار شمرده می‌شود: با تنها اهرمی که به‌تنهایی آن را از "
              "خط فقر بالا می‌برد، «چند اهرم» اگر بیش از یکی بتواند، «هیچ‌کدام» اگر هیچ اهرمی "
              "نتواند، «خروج بدون کمک» اگر بی هیچ اهرمی بیرون آید (جدول تشخیص هر اهرمی را که "
              "بتواند می‌شمارد، پس سهم‌هایش هم‌پوشانی دارند). کنار هر میله، شمار خانوارهایی که "
              "از آغاز بیرون رفته‌اند."},
    "network caption": {
        "en": "The stored network sample of {name}, seed {seed}, at its last month: "
              "{households} client households joined by their social ties (those with a "
              "mentor first, then their neighbours), {mentors} mentors and {institutions} "
              "institutions.",
        "fa": "نمونهٔ ذخیره‌شده از شبکه در «{name}»، تکرار {seed}، در ماه پایانی: "
              "{households} خانوار مددجو که با پیوندهای اجتماعی‌شان به هم پیوسته‌اند (نخست "
              "آنهایی که مربی دارند و سپس همسایگانشان)، {mentors} مربی و {institutions} نهاد."},
    "network title": {"en": "A sample of the network: {name}, seed {seed}",
                      "fa": "نمونه‌ای از شبکه: {name}، تکرار {seed}"},
    # figures
    "forest title": {"en": "Effect of each policy against the baseline, 95 % interval",
                     "fa": "اثر هر سیاست در برابر وضع موجود، بازهٔ 95 %"},
    "effect at month": {"en": "effect on {outcome} at month {month} ({unit})",
                        "fa": "اثر بر {outcome} در ماه {month} ({unit})"},
    "outcome over time title": {
        "en": "{outcome} among the households still active: median over seeds",
        "fa": "{outcome} میان خانوارهای هنوز در برنامه: میانهٔ تکرارها"},
    "households active": {"en": "households active", "fa": "خانوارهای فعال"},
    "value at month": {"en": "{value} at month {month}", "fa": "{value} در ماه {month}"},
    "effect over time title": {
        "en": "Effect on {outcome} against the baseline, 95 % interval",
        "fa": "اثر بر {outcome} در برابر وضع موجود، بازهٔ 95 %"},
    "mean change, months": {"en": "mean change, months 0-{months}",
                            "fa": "میانگین تغییر، ماه 0 تا {months}"},
    "stable fixed point": {"en": "stable fixed point; bar: where the band holds zero",
                           "fa": "نقطهٔ ثابت پایدار؛ میله: جایی که نوار صفر را در بر دارد"},
    "unstable fixed point": {"en": "unstable fixed point; bar: where the band holds zero",
                             "fa": "نقطهٔ ثابت ناپایدار؛ میله: جایی که نوار صفر را در بر دارد"},
    "assets at the start of the year": {"en": "assets at the start of the year (z)",
                                        "fa": "دارایی در آغاز سال (z)"},
    "mean change over the year": {"en": "mean change over the year (z)",
                                  "fa": "میانگین تغییر در طول سال (z)"},
    "asset map title": {
        "en": "Asset map: {households} households of {seeds} seeds, clients at months 0 and "
              "{months}; band: 95 % interval over seeds",
        "fa": "نقشهٔ دارایی: {households} خانوار از {seeds} تکرار، مددجو در ماه 0 و ماه "
              "{months}؛ نوار: بازهٔ 95 % بر پایهٔ تکرارها"},
    "all, month": {"en": "all, month {month}", "fa": "همه، ماه {month}"},
    "scenario, month": {"en": "{name}, month {month}", "fa": "{name}، ماه {month}"},
    "poverty line z": {"en": "poverty line z", "fa": "خط فقر z"},
    "per-capita consumption": {"en": "per-capita consumption (z/person-month)",
                               "fa": "مصرف سرانه (z برای هر نفر در ماه)"},
    "share of active households in the bin": {"en": "share of active households in the bin",
                                              "fa": "سهم خانوارهای فعال در هر بازه"},
    "Consumption before and after": {"en": "Consumption before and after",
                                     "fa": "مصرف پیش و پس"},
    "active and left": {"en": "{active} active, {left} left",
                        "fa": "{active} فعال، {left} بیرون‌رفته"},
    "share of the households still active": {"en": "share of the households still active",
                                             "fa": "سهم از خانوارهای هنوز در برنامه"},
    "binding constraints title": {
        "en": "Why the poor stay poor, month {month}: binding constraint",
        "fa": "چرا فقیران فقیر می‌مانند، ماه {month}: مانع اصلی"},
    "cost-effectiveness frontier": {"en": "cost-effectiveness frontier",
                                    "fa": "مرز هزینه-اثربخشی"},
    "programme cost per client household": {
        "en": "programme cost per client household (z)",
        "fa": "هزینهٔ برنامه برای هر خانوار مددجو (z)"},
    "Cost against effect": {"en": "Cost against effect (95 % intervals)",
                            "fa": "هزینه در برابر اثر (بازه‌های 95 %)"},
    "percentage points": {"en": "percentage points", "fa": "واحد درصد"},
    "percentage points short": {"en": "pp", "fa": "واحد درصد"},
    # the dashboard
    "dashboard title": {"en": "empowernet: the live model and stored results",
                        "fa": "empowernet: مدل زنده و نتایج ذخیره‌شده"},
    "Live model": {"en": "Live model", "fa": "مدل زنده"},
    "Controls": {"en": "Controls", "fa": "کنترل‌ها"},
    "Model Parameters": {"en": "Model Parameters", "fa": "پارامترهای مدل"},
    "Information": {"en": "Information", "fa": "اطلاعات"},
    "Reset": {"en": "Reset", "fa": "از نو"},
    "Step": {"en": "Step", "fa": "یک ماه جلو"},
    "play interval": {"en": "Play Interval (ms)", "fa": "مکث میان ماه‌ها (میلی‌ثانیه)"},
    "month counter": {"en": "Month: {month} of {months}", "fa": "ماه: {month} از {months}"},
    "typed value range": {"en": "a whole number from {low} to {high}",
                          "fa": "عددی صحیح از {low} تا {high}"},
    "save as PNG": {"en": "Save as PNG", "fa": "ذخیره به صورت PNG"},
    "save as SVG": {"en": "Save as SVG", "fa": "ذخیره به صورت SVG"},
    "household": {"en": "household", "fa": "خانوار"},
    "seed": {"en": "seed", "fa": "بذر تصادفی"},
    "slider households": {"en": "{setting} ({unit})", "fa": "شمار خانوارها ({setting})"},
    "slider months": {"en": "{setting} ({unit})", "fa": "شمار ماه‌ها ({setting})"},
    "slider p_shock": {"en": "{setting} ({unit})", "fa": "احتمال شوک در هر ماه ({setting})"},
    "slider aspiration_adapt": {"en": "{setting} ({unit})",
                                "fa": "سرعت سازگاری آرزوها ({setting})"},
    "curve unit share of households below z": {"en": "share of households below z",
                                               "fa": "سهم خانوارهای زیر خط فقر z"},
    "curve unit z/person-month": {"en": "z/person-month", "fa": "z برای هر نفر در ماه"},
    "curve unit z": {"en": "z", "fa": "z"},
    "status": {"en": "status", "fa": "وضعیت"},
    "assets (z)": {"en": "assets (z)", "fa": "دارایی (z)"},
    "consumption per person (z)": {"en": "consumption per person (z)",
                                   "fa": "مصرف سرانه (z)"},
    "households chart title": {
        "en": "{households} households at month {month} (red: k*, dashed: z)",
        "fa": "{households} خانوار در ماه {month} (سرخ: k*، خط‌چین: z)"},
    "network chart title": {"en": "Social ties among {households} households",
                            "fa": "پیوندهای اجتماعی میان {households} خانوار"},
    "Stored results": {"en": "Stored results", "fa": "نتایج ذخیره‌شده"},
    "no sweep": {
        "en": "No sweep to show: start the dashboard with a sweep's folder (empowernet "
              "dashboard outputs/grad), or run a sweep into outputs/.",
        "fa": "مجموعه اجرایی برای نمایش نیست: داشبورد را با پوشهٔ یک مجموعه اجرا باز کنید "
              "(\u2066empowernet dashboard outputs/grad\u2069) یا مجموعه‌ای را در "
              "\u2066outputs/\u2069 اجرا کنید."},
    "sweep": {"en": "sweep", "fa": "مجموعهٔ اجراها"},
    "dashboard one scenario": {
        "en": "{sweep} holds runs of one scenario only ({scenario}): there is nothing to "
              "compare it with. Run a baseline into the same folder (hydra.sweep.dir), with "
              "the same seeds, or choose another sweep.",
        "fa": "{sweep} فقط اجراهای یک سناریو ({scenario}) را دارد: چیزی برای مقایسه با آن "
              "نیست. وضع موجود را با همان تکرارها در همین پوشه (hydra.sweep.dir) اجرا کنید، "
              "یا مجموعهٔ دیگری را برگزینید."},
    "dashboard baseline only": {
        "en": "{sweep} holds runs of the baseline only: there is no policy to compare with it. "
              "Run a policy scenario into the same folder (hydra.sweep.dir), with the same "
              "seeds, or choose another sweep.",
        "fa": "{sweep} فقط اجراهای وضع موجود را دارد: سیاستی برای مقایسه با آن نیست. یک "
              "سناریوی سیاستی را با همان تکرارها در همین پوشه (hydra.sweep.dir) اجرا کنید، "
              "یا مجموعهٔ دیگری را برگزینید."},
    "unfinished runs": {
        "en": "{unfinished} of the {planned} runs of its latest invocation have not finished "
              "(interrupted, failed or still running); {sweep} is compared on the {finished} "
              "that have. Run the sweep again to finish them.",
        "fa": "{unfinished} اجرا از {planned} اجرای آخرین فرمان این مجموعه پایان نیافته‌اند "
              "(قطع شده‌اند، شکست خورده‌اند یا هنوز در حال اجرایند)؛ مقایسه بر پایهٔ "
              "{finished} اجرایی است که پایان یافته‌اند. مجموعه را دوباره اجرا کنید تا "
              "پایان یابند."},
    "mixed code": {
        "en": "The {runs} runs of {sweep} were made by {revisions} revisions of the code (runs "
              "by revision: {shares}), so an effect may pair a policy's run with a baseline "
              "run of other code. To compare one code, run the sweep again into a new folder "
              "(hydra.sweep.dir).",
        "fa": "{runs} اجرای این مجموعه با {revisions} نسخهٔ متفاوت از کد ساخته شده‌اند (تعداد "
              "اجراها به تفکیک نسخه: {shares})، پس ممکن است اثر یک سیاست، اجرای آن را با "
              "اجرای وضع موجودی از کدی دیگر جفت کند. برای مقایسه با یک نسخهٔ کد، مجموعه را "
              "دوباره در پوشه‌ای تازه (hydra.sweep.dir) اجرا کنید."},
    "dashboard working sweep": {
        "en": "Reading the sweep's runs (collecting their results if they changed)...",
        "fa": "در حال خواندن اجراهای این مجموعه (و گردآوری نتایجشان اگر تغییر کرده‌اند)..."},
    "dashboard working effects": {
        "en": "Computing each scenario's effect against the baseline...",
        "fa": "در حال محاسبهٔ اثر هر سناریو در برابر وضع موجود..."},
    "dashboard working who benefits": {
        "en": "Computing the effects by household type from the household snapshots...",
        "fa": "در حال محاسبهٔ اثرها بر حسب نوع خانوار از تصویرهای خانوارها..."},
    "household type": {"en": "household type", "fa": "نوع خانوار"},
    # the poverty profile (``profile``)
    "report profile heading": {"en": "Poverty profile at the start",
                               "fa": "نیم‌رخ فقر در آغاز"},
    "report profile note": {
        "en": "The client households of business as usual at month 0 (seed {seed}), the same "
              "in every scenario, each counting once: the headcount is the share below the "
              "poverty line z, the poverty gap the mean shortfall from it and the severity the "
              "mean squared shortfall (FGT 0, 1 and 2); the groups are those of Who benefits.",
        "fa": "خانوارهای مددجوی وضع موجود در ماه 0 (تکرار {seed})، که در همهٔ سناریوها "
              "یکسان‌اند، هر یک یک بار شمرده می‌شود: نرخ فقر سهم خانوارهای زیر خط فقر z است، "
              "شکاف فقر میانگین فاصله تا آن و شدت فقر میانگین مجذور این فاصله (FGT 0، 1 و "
              "2)؛ گروه‌ها همان گروه‌های بخش «چه کسانی سود می‌برند» هستند."},
    "all client households": {"en": "all client households", "fa": "همهٔ خانوارهای مددجو"},
    "profile all": {"en": "all", "fa": "همه"},
    "households": {"en": "households", "fa": "خانوارها"},
    "share of households": {"en": "share of households", "fa": "سهم از خانوارها"},
    "headcount (FGT0)": {"en": "headcount (FGT0)", "fa": "نرخ فقر (FGT 0)"},
    "poverty gap (FGT1, % of z)": {"en": "poverty gap (FGT1, % of z)",
                                   "fa": "شکاف فقر (FGT 1، درصد از z)"},
    "severity (FGT2)": {"en": "severity (FGT2)", "fa": "شدت فقر (FGT 2)"},
    "type all households": {"en": "all households", "fa": "همهٔ خانوارها"},
    "type female-headed": {"en": "female-headed", "fa": "زن‌سرپرست"},
    "type male-headed": {"en": "male-headed", "fa": "مردسرپرست"},
    "type starting assets below k*": {"en": "starting assets below k*",
                                      "fa": "دارایی آغازین کمتر از k*"},
    "type starting assets at or above k*": {"en": "starting assets at or above k*",
                                            "fa": "دارایی آغازین k* یا بیشتر"},
    "type poor at the start": {"en": "poor at the start", "fa": "فقیر در آغاز"},
    "stored effects note": {
        "en": "{type}: each scenario against {baseline}, mean of the paired differences over "
              "seeds, 95 % interval ({unit}).",
        "fa": "{type}: هر سناریو در برابر {baseline}، میانگین تفاوت‌های جفت‌شده بر پایهٔ "
              "تکرارها، بازهٔ 95 % ({unit})."},
    "no snapshot there": {
        "en": "No effect on {outcome} at month {month} for {type}: this sweep stored no "
              "household snapshot there.",
        "fa": "اثری بر {outcome} در ماه {month} برای {type} نیست: این مجموعه در آن ماه "
              "تصویری از خانوارها ذخیره نکرده است."},
    "stored who benefits note": {
        "en": "Effect on {outcome} at month {month} by household type at the start: each "
              "group against the same group in {baseline}, 95 % interval over seeds. A small "
              "group gives a wide interval.",
        "fa": "اثر بر {outcome} در ماه {month} بر حسب نوع خانوار در آغاز: هر گروه در برابر "
              "همان گروه در {baseline}، بازهٔ 95 % بر پایهٔ تکرارها. گروه کوچک بازهٔ پهن "
              "می‌دهد."},
    "stored who benefits missing": {
        "en": "Effects on {outcome} by household type at month {month} are not available: "
              "they need an outcome with a value per household and a month with household "
              "snapshots (outputs.snapshot_months and the last month).",
        "fa": "اثر بر {outcome} بر حسب نوع خانوار در ماه {month} در دسترس نیست: به پیامدی با "
              "مقداری برای هر خانوار و ماهی با تصویر خانوارها نیاز دارد "
              "(outputs.snapshot_months و ماه پایانی)."},
    "dashboard forest title": {"en": "Effect against the baseline, 95 % interval",
                               "fa": "اثر در برابر وضع موجود، بازهٔ 95 %"},
    # the family cards and the pages that hold them (``empowernet diagnose`` and ``advise``)
    "card lever assets": {"en": "productive assets", "fa": "دارایی مولد"},
    "card lever confidence": {"en": "self-confidence", "fa": "اعتمادبه‌نفس"},
    "card lever culture": {"en": "a norm of self-reliance", "fa": "هنجار خوداتکایی"},
    "card lever skill": {"en": "vocational training", "fa": "آموزش فنی‌وحرفه‌ای"},
    "card lever wage_job": {"en": "a wage job", "fa": "یک شغل مزدی"},
    "card lever no_shock": {"en": "protection against shocks",
                            "fa": "محافظت در برابر شوک‌ها"},
    "card lever working_adult": {"en": "one more working member", "fa": "یک عضو شاغل دیگر"},
    "card sentence assets": {
        "en": "Productive assets raised to {k_star} would lift this family above the poverty "
              "line within {horizon} months.",
        "fa": "رساندن دارایی مولد به {k_star} این خانواده را ظرف {horizon} ماه از خط فقر "
              "بالاتر می‌برد."},
    "card sentence confidence": {
        "en": "More self-confidence (through coaching or mentoring) would lift this family "
              "above the poverty line within {horizon} months.",
        "fa": "اعتمادبه‌نفس بیشتر (با مربی‌گری یا همراهی) این خانواده را ظرف {horizon} ماه از "
              "خط فقر بالاتر می‌برد."},
    "card sentence culture": {
        "en": "A stronger norm of self-reliance would lift this family above the poverty line "
              "within {horizon} months.",
        "fa": "هنجار خوداتکایی قوی‌تر این خانواده را ظرف {horizon} ماه از خط فقر بالاتر "
              "می‌برد."},
    "card sentence skill": {
        "en": "Vocational training would lift this family above the poverty line within "
              "{horizon} months.",
        "fa": "آموزش فنی‌وحرفه‌ای این خانواده را ظرف {horizon} ماه از خط فقر بالاتر می‌برد."},
    "card sentence wage_job": {
        "en": "A wage job for one adult would lift this family above the poverty line within "
              "{horizon} months.",
        "fa": "یک شغل مزدی برای یکی از بزرگسالان این خانواده را ظرف {horizon} ماه از خط فقر "
              "بالاتر می‌برد."},
    "card sentence no_shock": {
        "en": "Protection against shocks (illness, loss of livestock or work) would lift this "
              "family above the poverty line within {horizon} months.",
        "fa": "محافظت در برابر شوک‌ها (بیماری، از دست دادن دام یا کار) این خانواده را ظرف "
              "{horizon} ماه از خط فقر بالاتر می‌برد."},
    "card sentence working_adult": {
        "en": "One more working member would lift this family above the poverty line within "
              "{horizon} months.",
        "fa": "یک عضو شاغل دیگر این خانواده را ظرف {horizon} ماه از خط فقر بالاتر می‌برد."},
    "card sentence several": {
        "en": "Any one of these would lift this family above the poverty line within "
              "{horizon} months: {levers}.",
        "fa": "هر یک از این‌ها به‌تنهایی این خانواده را ظرف {horizon} ماه از خط فقر بالاتر "
              "می‌برد: {levers}."},
    "card sentence none": {
        "en": "No single lever lifts this family above the poverty line within {horizon} "
              "months: it needs several kinds of help at once, or lasting support.",
        "fa": "هیچ اهرمی به‌تنهایی این خانواده را ظرف {horizon} ماه از خط فقر بالاتر نمی‌برد: "
              "به چند گونه کمک هم‌زمان یا حمایتی پایدار نیاز دارد."},
    "card sentence escapes_without_help": {
        "en": "This family is expected to rise above the poverty line within {horizon} months "
              "without help.",
        "fa": "انتظار می‌رود این خانواده ظرف {horizon} ماه بدون کمک از خط فقر بالاتر برود."},
    "card sentence not poor": {"en": "This family is above the poverty line now.",
                               "fa": "این خانواده اکنون بالای خط فقر است."},
    "card constraint several": {"en": "several levers", "fa": "چند اهرم"},
    "card constraint none": {"en": "no single lever", "fa": "هیچ اهرمی به‌تنهایی"},
    "card constraint escapes_without_help": {"en": "escapes without help",
                                             "fa": "خروج بدون کمک"},
    "card constraint not poor": {"en": "not poor", "fa": "فقیر نیست"},
    "card household": {"en": "Household {household_id}", "fa": "خانوار {household_id}"},
    "card size": {
        "en": "{size} people: {adults} of working age, {children} under 15, {elderly} aged 65 "
              "or more",
        "fa": "{size} نفر: {adults} نفر در سن کار، {children} نفر زیر 15 سال، {elderly} نفر "
              "65 ساله یا بیشتر"},
    "card who": {"en": "{size}; {head}", "fa": "{size}؛ {head}"},
    "card consumption": {"en": "Consumption per person", "fa": "مصرف سرانه"},
    "card a month": {"en": "{amount} {money} a month", "fa": "{amount} {money} در ماه"},
    "card below the line": {"en": "Below the line by", "fa": "فاصله تا خط فقر"},
    "card share of z": {"en": "{value:.0f} % of z", "fa": "{value:.0f} % از z"},
    "card not below the line": {"en": "not below it", "fa": "زیر خط فقر نیست"},
    "card assets": {"en": "Productive assets", "fa": "دارایی مولد"},
    "card money": {"en": "{amount} {money}", "fa": "{amount} {money}"},
    "card constraint": {"en": "Binding constraint", "fa": "مانع اصلی"},
    "card recommendation": {"en": "Recommended package", "fa": "بستهٔ پیشنهادی"},
    "card no package": {"en": "no package", "fa": "بدون بسته"},
    "card equal cash": {"en": "equal cash {package}",
                        "fa": "کمک نقدی هم‌هزینهٔ {package}"},
    "card gain": {"en": "Expected gain ({objective})", "fa": "سود مورد انتظار ({objective})"},
    "card value": {"en": "{value} {unit}", "fa": "{value} {unit}"},
    "card interval": {"en": "{low} to {high} {unit}", "fa": "{low} تا {high} {unit}"},
    "card cost": {"en": "Expected cost", "fa": "هزینهٔ مورد انتظار"},
    "card profile heading": {"en": "Poverty profile", "fa": "نیم‌رخ فقر"},
    "card profile note": {
        "en": "Client households of the roster at month 0, each counting once: the headcount "
              "is the share below the poverty line z, the poverty gap the mean shortfall from "
              "it (a share of z, 0 for those above it) and the severity the mean squared "
              "shortfall (FGT 0, 1 and 2).",
        "fa": "خانوارهای مددجوی فهرست در ماه 0، هر یک یک بار شمرده می‌شود: نرخ فقر سهم "
              "خانوارهای زیر خط فقر z است، شکاف فقر میانگین فاصله تا آن (سهمی از z، برای "
              "خانوارهای بالای خط 0) و شدت فقر میانگین مجذور این فاصله (FGT 0، 1 و 2)."},
    "card cards heading": {"en": "Families", "fa": "خانواده‌ها"},
    "card diagnosis note": {
        "en": "The binding constraint is what alone lifts a poor family above the poverty line "
              "within {horizon} months (mean consumption per person over the last {window} "
              "months at or above z), found by simulating the family with each constraint "
              "relaxed in turn, the rest of the roster living as usual (docs/diagnose.md). "
              "{money_note}",
        "fa": "مانع اصلی آن چیزی است که به‌تنهایی خانوادهٔ فقیر را ظرف {horizon} ماه از خط فقر "
              "بالاتر می‌برد (میانگین مصرف سرانه در {window} ماه پایانی برابر z یا بیشتر)، و با "
              "شبیه‌سازی خانواده با برداشتن یک‌به‌یک موانع پیدا می‌شود، در حالی که بقیهٔ فهرست "
              "به روال معمول زندگی می‌کنند (docs/diagnose.md). {money_note}"},
    "card money in z": {"en": "Money is in z, the monthly poverty line per person.",
                        "fa": "پول بر حسب z است، خط فقر ماهانهٔ هر نفر."},
    "card money converted": {
        "en": "Money is in {money}, at a poverty line z of {line} {money} per person a month.",
        "fa": "پول بر حسب {money} است، با خط فقر z برابر {line} {money} برای هر نفر در "
              "ماه."},
    "card diagnose title": {"en": "Diagnosis of {roster}", "fa": "تشخیص فقر {roster}"},
    "card diagnose intro": {
        "en": "{households} families, diagnosed without any programme. {poor} of them are "
              "below the poverty line.",
        "fa": "{households} خانواده، بدون هیچ برنامه‌ای تشخیص داده شده‌اند. {poor} خانواده از "
              "آنها زیر خط فقرند."},
    "card advice title": {"en": "Advice for {roster}", "fa": "پیشنهاد برای {roster}"},
    "card advice intro": {
        "en": "{households} households, runs of {months} months; {caption}. Objective: "
              "{objective} ({unit}). Budget {budget} {money}; the allocation plans to spend "
              "{spent} {money}, leaving {unspent} {money} unspent: {reason}. Simulated as "
              "delivered, it gains {gain} ({low} to {high}) {gain_unit} over business as "
              "usual. Packages: {packages}.",
        "fa": "{households} خانوار، اجراهای {months} ماهه؛ {caption}. هدف: {objective} "
              "({unit}). بودجه {budget} {money}؛ تخصیص برنامه دارد {spent} {money} هزینه کند و "
              "{unspent} {money} خرج‌نشده می‌ماند: {reason}. شبیه‌سازی آن چنان که اجرا می‌شود "
              "{gain} ({low} تا {high}) {gain_unit} نسبت به وضع موجود سود می‌دهد. بسته‌ها: "
              "{packages}."},
    "card equal cash note": {
        "en": "Each package other than a cash transfer is matched by its equal-cost cash arm, "
              "named 'equal cash' and the package (such as '{example}'): the same money as the "
              "package costs per family, on average over the roster, given as one cash "
              "transfer, its delivery included. Where the cash gains more than the package, it "
              "serves the family better.",
        "fa": "هر بسته، جز کمک نقدی، با همتای نقدی هم‌هزینهٔ خود سنجیده می‌شود که نامش «کمک "
              "نقدی هم‌هزینهٔ» و سپس نام بسته است (مانند «{example}»): همان پولی که آن بسته "
              "به‌طور میانگین برای هر خانوادهٔ فهرست هزینه دارد، یک‌جا به‌صورت کمک نقدی و با "
              "هزینهٔ پرداختش. هر جا این پول نقد بیش از خود بسته سود دهد، برای آن خانواده "
              "بهتر است."},
    "card untargeted heading": {"en": "Constraints without a package",
                                "fa": "موانعی که بسته‌ای برایشان نیست"},
    "untargeted": {
        "en": "No package compared offers {lever}, the binding constraint of {families} of the "
              "families here. The library's scenarios that do: {scenarios}; to compare one, "
              "add it to {option}, for example {command}.",
        "fa": "هیچ‌یک از بسته‌های مقایسه‌شده {lever} فراهم نمی‌کند، که مانع اصلی {families} "
              "خانواده در این فهرست است. سناریوهای کتابخانه که آن را فراهم می‌کنند: "
              "{scenarios}؛ برای مقایسهٔ یکی از آنها، آن را به {option} بیفزایید، مثلاً "
              "{command}."},
    "untargeted by the library": {
        "en": "No package compared offers {lever}, the binding constraint of {families} of the "
              "families here, and no scenario of the library does: no programme of the model "
              "works on it.",
        "fa": "هیچ‌یک از بسته‌های مقایسه‌شده {lever} فراهم نمی‌کند، که مانع اصلی {families} "
              "خانواده در این فهرست است، و هیچ سناریویی در کتابخانه هم آن را فراهم نمی‌کند: "
              "هیچ برنامه‌ای در مدل بر آن اثر نمی‌گذارد."},
    "card allocation heading": {"en": "The allocation as a whole", "fa": "تخصیص در کل"},
    "card advice table heading": {"en": "Every package for every family",
                                  "fa": "همهٔ بسته‌ها برای همهٔ خانواده‌ها"},
    # the advice's objectives, its tables and the budget it leaves unspent
    "objective consumption": {
        "en": "gain in per-capita consumption, averaged over the months 1 to the horizon in "
              "which the household is a client",
        "fa": "افزایش مصرف سرانه، میانگین ماه‌های 1 تا پایان دوره که خانوار مددجوست"},
    "objective poverty_gap": {
        "en": "reduction of the household's poverty gap max(0, 1 - c/z) (FGT1), averaged over "
              "the months 1 to the horizon in which the household is a client",
        "fa": "کاهش شکاف فقر خانوار max(0, 1 - c/z) (FGT1)، میانگین ماه‌های 1 تا پایان دوره "
              "که خانوار مددجوست"},
    "objective sustained_exits": {
        "en": "gain in the chance of per-capita consumption at or above z in each of the last "
              "status.sustained_months months of the horizon",
        "fa": "افزایش احتمال اینکه مصرف سرانه در هر یک از status.sustained_months ماه پایانی "
              "دوره برابر z یا بیشتر باشد"},
    "unit probability": {"en": "probability", "fa": "احتمال"},
    "summed over households": {"en": "{unit}, summed over households",
                               "fa": "{unit}، جمع روی خانوارها"},
    "per 1,000 z spent": {"en": "{unit}, summed over households, per 1,000 z spent",
                          "fa": "{unit}، جمع روی خانوارها، به ازای هر 1,000 z هزینه"},
    "allocation budget": {"en": "budget", "fa": "بودجه"},
    "allocation planned spending": {"en": "planned spending", "fa": "هزینهٔ برنامه‌ریزی‌شده"},
    "allocation unspent": {"en": "unspent", "fa": "خرج‌نشده"},
    "allocation households with a package": {"en": "households with a package",
                                             "fa": "خانوارهای دارای بسته"},
    "allocation spending as delivered": {"en": "spending as delivered",
                                         "fa": "هزینه چنان که اجرا می‌شود"},
    "allocation most spent in one replication": {"en": "most spent in one replication",
                                                 "fa": "بیشترین هزینه در یک تکرار"},
    "allocation planned gain (sum of per-family estimates)": {
        "en": "planned gain (sum of per-family estimates)",
        "fa": "سود برنامه‌ریزی‌شده (جمع برآوردهای هر خانواده)"},
    "allocation gain of the allocation as delivered": {
        "en": "gain of the allocation as delivered",
        "fa": "سود تخصیص چنان که اجرا می‌شود"},
    "allocation gain as delivered per 1,000 z": {
        "en": "gain as delivered per 1,000 z",
        "fa": "سود چنان که اجرا می‌شود به ازای هر 1,000 z"},
    "allocation line": {"en": "{measure}: {value} {unit}", "fa": "{measure}: {value} {unit}"},
    "allocation line with interval": {"en": "{measure}: {value} ({low} to {high}) {unit}",
                                      "fa": "{measure}: {value} ({low} تا {high}) {unit}"},
    "measure": {"en": "measure", "fa": "سنجه"},
    "value": {"en": "value", "fa": "مقدار"},
    "interval low": {"en": "95 % interval, low", "fa": "بازهٔ 95 %، کران پایین"},
    "interval high": {"en": "95 % interval, high", "fa": "بازهٔ 95 %، کران بالا"},
    "unit": {"en": "unit", "fa": "واحد"},
    "household id": {"en": "household", "fa": "خانوار"},
    "allocated package": {"en": "allocated package", "fa": "بستهٔ تخصیص‌یافته"},
    "allocated": {"en": "allocated", "fa": "تخصیص‌یافته"},
    "column gain": {"en": "{package}: gain ({unit})", "fa": "{package}: سود ({unit})"},
    "column low": {"en": "{package}: 95 % low", "fa": "{package}: کران پایین 95 %"},
    "column high": {"en": "{package}: 95 % high", "fa": "{package}: کران بالای 95 %"},
    "column cost": {"en": "{package}: cost ({money})", "fa": "{package}: هزینه ({money})"},
    "unspent spent": {"en": "the budget is spent ({left} {money} left: {rounding})",
                      "fa": "بودجه خرج شده است ({left} {money} مانده: {rounding})"},
    "unspent rounding": {"en": "the allocation rounds each cost up to {step} z",
                         "fa": "تخصیص هر هزینه را به بالا تا مضربی از {step} z گرد می‌کند"},
    "unspent everyone served": {
        "en": "every household has a package; a better package for any of them would cost "
              "more than the {left} {money} left",
        "fa": "هر خانوار بسته‌ای دارد؛ بستهٔ بهتر برای هر یک از آنها بیش از {left} {money} "
              "مانده هزینه دارد"},
    "unspent everyone best": {
        "en": "every household has a package, the one with the largest expected gain for it: "
              "no package would do more for any of them, so {left} {money} is left",
        "fa": "هر خانوار بسته‌ای دارد، همان که بیشترین سود مورد انتظار را برایش دارد: هیچ "
              "بسته‌ای برای هیچ‌یک از آنها بیشتر نمی‌کند، پس {left} {money} می‌ماند"},
    "unspent no gain": {
        "en": "no package has a positive expected gain for any of the {households} households "
              "left without one",
        "fa": "هیچ بسته‌ای برای هیچ‌یک از {households} خانوار بی‌بسته سود مورد انتظار مثبت "
              "ندارد"},
    "unspent cheapest": {
        "en": "the cheapest package with a positive expected gain for a household left without "
              "one ({package} for household {household}) costs {cost} {money}, more than the "
              "{left} {money} left{rounding}",
        "fa": "ارزان‌ترین بسته با سود مورد انتظار مثبت برای خانواری بی‌بسته ({package} برای "
              "خانوار {household}) {cost} {money} هزینه دارد، بیش از {left} {money} "
              "مانده{rounding}"},
    "unspent once rounded": {"en": " once {rounding}", "fa": " پس از آنکه {rounding}"},
    # units and currencies
    "unit share": {"en": "share", "fa": "سهم"},
    "unit share of z": {"en": "share of z", "fa": "سهم از خط فقر"},
    "unit z": {"en": "{money}", "fa": "{money}"},
    "unit z/person-month": {"en": "{money}/person-month", "fa": "{money} برای هر نفر در ماه"},
    "unit households": {"en": "households", "fa": "خانوار"},
    "currency z": {"en": "z", "fa": "z"},
    "currency toman": {"en": "toman", "fa": "تومان"},
    "currency rial": {"en": "rial", "fa": "ریال"},
    # outcomes
    "outcome headcount": {"en": "poverty headcount", "fa": "نرخ فقر"},
    "outcome poverty_gap": {"en": "poverty gap", "fa": "شکاف فقر"},
    "outcome consumption_pc_mean": {"en": "consumption per person", "fa": "مصرف سرانه"},
    "outcome assets_mean": {"en": "assets", "fa": "دارایی"},
    "outcome share_wage_job": {"en": "share in a wage job", "fa": "سهم شاغلان مزدبگیر"},
    "outcome graduations_cumulative": {"en": "graduations", "fa": "خروج‌های موفق"},
    "outcome sustained_graduations_cumulative": {"en": "sustained graduations",
                                                 "fa": "خروج‌های پایدار"},
    # the library's scenarios
    "scenario baseline": {"en": "baseline", "fa": "وضع موجود"},
    "scenario aspiration_campaign": {"en": "aspiration campaign", "fa": "کارزار امید و انگیزه"},
    "scenario asset_grant": {"en": "asset grant", "fa": "اعطای دارایی"},
    "scenario cash_transfer": {"en": "cash transfer", "fa": "کمک نقدی"},
    "scenario empowerment_network": {"en": "empowerment network", "fa": "شبکهٔ توانمندسازی"},
    "scenario graduation": {"en": "graduation", "fa": "بستهٔ خروج از فقر"},
    "scenario jobs_and_incubation": {"en": "jobs and incubation",
                                     "fa": "اشتغال و پرورش کسب‌وکار"},
    "scenario mentoring": {"en": "mentoring", "fa": "مربی‌گری"},
    "scenario microcredit": {"en": "microcredit", "fa": "اعتبار خرد"},
    "scenario training": {"en": "training", "fa": "آموزش مهارت"},
    # diagnosed constraints (levers) and the answers of the diagnosis
    "constraint assets": {"en": "assets", "fa": "دارایی"},
    "constraint confidence": {"en": "confidence", "fa": "اعتمادبه‌نفس"},
    "constraint culture": {"en": "culture", "fa": "هنجار خوداتکایی"},
    "constraint skill": {"en": "skill", "fa": "مهارت"},
    "constraint wage_job": {"en": "wage job", "fa": "شغل مزدی"},
    "constraint no_shock": {"en": "no shock", "fa": "نبود شوک"},
    "constraint working_adult": {"en": "working adult", "fa": "بزرگسال شاغل"},
    "constraint several": {"en": "several", "fa": "چند اهرم"},
    "constraint none": {"en": "none", "fa": "هیچ‌کدام"},
    "constraint escapes_without_help": {"en": "escapes without help",
                                        "fa": "خروج بدون کمک"},
    "constraint not poor": {"en": "not poor", "fa": "فقیر نیست"},
    "constraint not diagnosed": {"en": "not diagnosed", "fa": "تشخیص داده نشده"},
    # households' statuses
    "status supported": {"en": "supported", "fa": "تحت حمایت"},
    "status enrolled": {"en": "enrolled", "fa": "پذیرفته در برنامه"},
    "status graduated": {"en": "graduated", "fa": "خارج‌شده از فقر"},
    "status left": {"en": "left", "fa": "بیرون‌رفته"},
    "status mentor": {"en": "mentor", "fa": "مربی"},
    "status institution": {"en": "institution", "fa": "نهاد"},
}
"""Each key's text in English (``en``) and Persian (``fa``)."""


def text(key: str, lang: str = "en", **values: object) -> str:
    """The text of ``key`` in ``lang`` with ``values`` filled in (values a text does not use
    are ignored); a key or language the table lacks raises ``KeyError``. In a right-to-left
    language a path (``os.PathLike``) is isolated as left-to-right (:func:`left_to_right`),
    so that its slashes stay where they are."""
    if lang in RIGHT_TO_LEFT:
        values = {k: left_to_right(str(v)) if isinstance(v, os.PathLike) else v
                  for k, v in values.items()}
    return TEXTS[key][lang].format(**values)


def as_code(shown: str, lang: str) -> str:
    """``shown`` (a command, an identifier) as it is, laid out left to right as a whole in a
    right-to-left ``lang`` (:func:`left_to_right`)."""
    return left_to_right(shown) if lang in RIGHT_TO_LEFT else shown


def left_to_right(shown: str) -> str:
    """``shown`` between Unicode's left-to-right isolate and its closing mark: inside
    right-to-left text it is laid out as a whole, left to right (a path's leading slash is
    otherwise drawn at its end)."""
    return f"\u2066{shown}\u2069"
