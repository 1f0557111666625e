//! What a person says or types to add a task, read into the task: "明天下午三点前完成首页banner
//! 设计，负责人小王" is a task titled 首页banner设计, due tomorrow at 15:00, for 小王. The same
//! reading serves the microphone and typed quick add, in Chinese and English.
//!
//! Recognised: days (今天, 明天, 后天, 下周三, 周五, 3天后, 11月20日, 20号, 月底, 双十一 and 618
//! with 前三天 or 后两天; today, tomorrow, next wednesday, friday, in 3 days, nov 20, end of
//! month, 3 days before double 11), times of day (下午三点, 15:30, 3pm), people who are members
//! of the workspace (负责人小王, 交给小王, 小王负责, @小王; assign to Wang, @Wang) and priorities
//! (紧急, 重要, 不急, P0-P3; urgent, high priority, low priority). Whatever is left is the
//! title. A person named with a marker who is not a member is reported, not guessed.

use super::{Date, Member, Priority};
use crate::MemberId;

/// A task as read from a phrase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuickAdd {
    pub title: String,
    pub due: Option<Date>,
    /// The time of day it is due, as (hour, minute).
    pub due_time: Option<(u8, u8)>,
    pub assignees: Vec<MemberId>,
    pub priority: Option<Priority>,
    /// Names given as whom the task is for that are not members of the workspace.
    pub unknown_people: Vec<String>,
}

/// Reads `text` as a task, with `today` for relative days and `members` for people.
pub fn parse(text: &str, today: Date, members: &[Member]) -> QuickAdd {
    let mut s = Scan::new(text);
    let mut out = QuickAdd { assignees: people(&mut s, members), ..QuickAdd::default() };
    out.unknown_people = unknown_people(&mut s);
    out.priority = priority(&mut s);
    let day_span = day(&mut s, today);
    let time_span = time_of_day(&mut s);
    out.due = day_span.map(|(d, _)| d);
    out.due_time = time_span.map(|(t, _)| t);
    if out.due_time.is_some() && out.due.is_none() {
        out.due = Some(today);
    }
    // "前" after the day or time ("明天下午三点前") and "by" before either say it is a deadline.
    let spans = [day_span.map(|(_, span)| span), time_span.map(|(_, span)| span)];
    if let Some(end) = spans.iter().flatten().map(|(from, len)| from + len).max() {
        s.take_word_at(end, &["之前", "以前", "前"]);
    }
    for (from, _) in spans.into_iter().flatten() {
        s.take_word_before(from, &["by", "before", "due", "on", "at", "until"]);
    }
    out.title = s.rest();
    out
}

/// The text as characters, with the parts already read marked taken.
struct Scan {
    /// As written: what is left of them is the title.
    written: Vec<char>,
    /// Full-width digits, letters, `：` and `＠` made ASCII, for reading.
    chars: Vec<char>,
    lower: Vec<char>,
    taken: Vec<bool>,
}

impl Scan {
    fn new(text: &str) -> Self {
        let written: Vec<char> = text.chars().collect();
        let chars: Vec<char> = written.iter().copied().map(full_width_to_ascii).collect();
        let lower = chars.iter().map(char::to_ascii_lowercase).collect();
        let taken = vec![false; chars.len()];
        Scan { written, chars, lower, taken }
    }

    /// Whether `word` (lower case) is at `at`, among characters not yet taken.
    fn is_at(&self, at: usize, word: &str) -> bool {
        (at..).zip(word.chars()).all(|(i, c)| i < self.lower.len() && !self.taken[i] && self.lower[i] == c)
    }

    /// An English word must stand alone: no letter just before or after it.
    fn is_word_at(&self, at: usize, word: &str) -> bool {
        let end = at + word.chars().count();
        let letter = |i: usize| self.lower.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
        self.is_at(at, word) && (at == 0 || !letter(at - 1)) && !letter(end)
    }

    /// The first of `words` at `at`, with its length in characters.
    fn any_at(&self, at: usize, words: &[&str]) -> Option<usize> {
        words.iter().find(|w| self.is_at(at, w)).map(|w| w.chars().count())
    }

    fn take(&mut self, from: usize, len: usize) {
        for t in &mut self.taken[from..(from + len).min(self.chars.len())] {
            *t = true;
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// A number at `at`: digits, or Chinese numerals up to 99 (三, 十五, 二十, 两). Its value
    /// and length.
    fn number_at(&self, at: usize) -> Option<(u32, usize)> {
        if at >= self.len() || self.taken[at] || (at > 0 && self.chars[at - 1].is_ascii_digit()) {
            return None;
        }
        let digits: String = self.chars[at..]
            .iter()
            .zip(&self.taken[at..])
            .take_while(|(c, taken)| c.is_ascii_digit() && !**taken)
            .map(|(c, _)| *c)
            .collect();
        if !digits.is_empty() {
            return (digits.len() <= 4).then(|| Some((digits.parse().ok()?, digits.len()))).flatten();
        }
        let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32);
        let c = |i: usize| {
            self.chars.get(at + i).copied().filter(|_| !self.taken.get(at + i).copied().unwrap_or(true))
        };
        match (c(0)?, c(1), c(2)) {
            ('十', Some(b), _) if digit(b).is_some() => Some((10 + digit(b)?, 2)),
            ('十', _, _) => Some((10, 1)),
            ('两', _, _) => Some((2, 1)),
            (a, Some('十'), Some(b)) if digit(a).is_some() && digit(b).is_some() => {
                Some((digit(a)? * 10 + digit(b)?, 3))
            }
            (a, Some('十'), _) if digit(a).is_some() => Some((digit(a)? * 10, 2)),
            (a, _, _) => Some((digit(a)?, 1)),
        }
    }

    /// Takes the first of `words` at `at` (after spaces).
    fn take_word_at(&mut self, mut at: usize, words: &[&str]) {
        while at < self.len() && self.chars[at] == ' ' {
            at += 1;
        }
        if let Some(n) = self.any_at(at, words) {
            self.take(at, n);
        }
    }

    /// Takes the English word of `words` just before `end` (and the spaces after it).
    fn take_word_before(&mut self, end: usize, words: &[&str]) {
        let mut before = end;
        while before > 0 && self.chars[before - 1] == ' ' && !self.taken[before - 1] {
            before -= 1;
        }
        for word in words {
            let n = word.chars().count();
            if before >= n && self.is_word_at(before - n, word) {
                self.take(before - n, end - (before - n));
                return;
            }
        }
    }

    /// What was not read: the title, without the connecting words and punctuation left
    /// around what was.
    fn rest(&self) -> String {
        // Where something was taken out, words around it stay apart, Chinese characters
        // not.
        let mut out = String::new();
        let mut gap = false;
        for (i, c) in self.written.iter().enumerate() {
            if self.taken[i] {
                gap = true;
                continue;
            }
            if gap && out.chars().last().is_some_and(|last| !is_cjk(last) && !is_cjk(*c)) {
                out.push(' ');
            }
            gap = false;
            out.push(*c);
        }
        let mut title = out.split_whitespace().collect::<Vec<_>>().join(" ");
        let edge = |c: char| ",，。.;；:：、!！?？ -—~".contains(c);
        loop {
            let trimmed = title.trim_matches(edge).to_owned();
            let without = ["完成", "做完", "搞定", "需要", "要", "请", "和", "并"]
                .iter()
                .find_map(|f| trimmed.strip_prefix(f).filter(|r| !r.is_empty()).map(str::to_owned));
            let next = without.unwrap_or(trimmed);
            if next == title {
                return title;
            }
            title = next;
        }
    }
}

fn full_width_to_ascii(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '：' => ':',
        '＠' => '@',
        '　' => ' ',
        _ => c,
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Markers before a person's name, and after it.
const BEFORE_PERSON: &[&str] = &[
    "负责人:",
    "负责人",
    "交给",
    "指派给",
    "分配给",
    "派给",
    "@",
    "assigned to ",
    "assign to ",
    "assignee:",
    "assignee ",
    "owner:",
    "owner ",
    "for @",
];
const AFTER_PERSON: &[&str] = &["负责", "来做", "跟进"];

/// Members named in the text, longest names first so that 王小明 is not read as 王小.
fn people(s: &mut Scan, members: &[Member]) -> Vec<MemberId> {
    let mut by_length: Vec<&Member> = members.iter().filter(|m| !m.name.trim().is_empty()).collect();
    by_length.sort_by_key(|m| std::cmp::Reverse(m.name.chars().count()));
    let mut found = Vec::new();
    for member in by_length {
        let name = member.name.trim().to_ascii_lowercase();
        let n = name.chars().count();
        for at in 0..s.len() {
            if !s.is_at(at, &name) {
                continue;
            }
            let mut from = at;
            let mut to = at + n;
            let marker = BEFORE_PERSON.iter().find(|m| {
                let k = m.chars().count();
                at >= k && s.is_at(at - k, m)
            });
            if let Some(m) = marker {
                from = at - m.chars().count();
            } else if let Some(k) = s.any_at(to, AFTER_PERSON) {
                to += k;
            } else {
                continue;
            }
            s.take(from, to - from);
            if !found.contains(&member.id) {
                found.push(member.id);
            }
        }
    }
    found
}

/// Names after a person marker that no member has: 负责人老张 where nobody is 老张.
fn unknown_people(s: &mut Scan) -> Vec<String> {
    let mut unknown = Vec::new();
    for marker in ["负责人:", "负责人", "指派给", "@"] {
        let k = marker.chars().count();
        for at in 0..s.len() {
            if !s.is_at(at, marker) {
                continue;
            }
            let name: String = s.chars[at + k..]
                .iter()
                .zip(&s.taken[at + k..])
                .take_while(|(c, taken)| !**taken && !",，。.;；、 !！".contains(**c))
                .map(|(c, _)| *c)
                .collect();
            if !name.is_empty() && name.chars().count() <= 12 {
                s.take(at, k + name.chars().count());
                unknown.push(name);
            }
        }
    }
    unknown
}

fn priority(s: &mut Scan) -> Option<Priority> {
    const WORDS: &[(&str, Priority)] = &[
        ("十万火急", Priority::Urgent),
        ("加急", Priority::Urgent),
        ("紧急", Priority::Urgent),
        ("高优先级", Priority::High),
        ("优先级高", Priority::High),
        ("重要", Priority::High),
        ("低优先级", Priority::Low),
        ("优先级低", Priority::Low),
        ("不急", Priority::Low),
        ("high priority", Priority::High),
        ("low priority", Priority::Low),
        ("urgent", Priority::Urgent),
        ("asap", Priority::Urgent),
        ("important", Priority::High),
        ("p0", Priority::Urgent),
        ("p1", Priority::High),
        ("p2", Priority::Normal),
        ("p3", Priority::Low),
    ];
    for at in 0..s.len() {
        for (word, level) in WORDS {
            let english = word.is_ascii();
            if (english && s.is_word_at(at, word)) || (!english && s.is_at(at, word)) {
                s.take(at, word.chars().count());
                return Some(*level);
            }
        }
    }
    None
}

const ZH_WEEKDAYS: &str = "一二三四五六日天";
const EN_WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const EN_MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The weekday `weekday` (Monday 0) of the week `weeks` after this one.
fn weekday_of(today: Date, weeks: i32, weekday: u32) -> Date {
    let monday = today.add_days(-(today.weekday() as i32));
    monday.add_days(7 * weeks + weekday as i32)
}

/// The next `month`/`day` on or after today (this year, else next).
fn next_date(today: Date, month: u32, day: u32) -> Option<Date> {
    let (year, _, _) = today.ymd();
    let this = Date::from_ymd(year, month, day)?;
    if this >= today { Some(this) } else { Date::from_ymd(year + 1, month, day) }
}

fn end_of_month(today: Date) -> Date {
    let (year, month, _) = today.ymd();
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    Date::from_ymd(y, m, 1).map_or(today, |first| first.add_days(-1))
}

/// Shopping festivals by their names: (names, month, day).
const FESTIVALS: &[(&[&str], u32, u32)] = &[
    (&["双十一", "双11", "11.11", "double 11", "double eleven", "singles' day", "singles day"], 11, 11),
    (&["双十二", "双12", "12.12", "double 12", "double twelve"], 12, 12),
    (&["618", "六一八", "6.18"], 6, 18),
];

/// The first day named in the text, and where: a festival only when no other day is named
/// ("Banner for 618 by 2027-06-01" is due on June 1).
fn day(s: &mut Scan, today: Date) -> Option<(Date, (usize, usize))> {
    for festivals in [false, true] {
        for at in 0..s.len() {
            if let Some((date, len)) = day_at(s, at, today, festivals) {
                s.take(at, len);
                return Some((date, (at, len)));
            }
        }
    }
    None
}

fn day_at(s: &Scan, at: usize, today: Date, festivals: bool) -> Option<(Date, usize)> {
    // Chinese relative days.
    for (word, days) in
        [("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("今天", 0), ("今日", 0), ("今晚", 0)]
    {
        if s.is_at(at, word) {
            return Some((today.add_days(days), word.chars().count()));
        }
    }
    // 下下周三, 下周三, 本周三, 这周三, 周三, 星期三, 礼拜三.
    for (prefix, weeks) in [("下下", 2), ("下个", 1), ("下", 1), ("本", 0), ("这个", 0), ("这", 0), ("", -1)]
    {
        if !s.is_at(at, prefix) {
            continue;
        }
        let p = prefix.chars().count();
        if let Some(w) = s.any_at(at + p, &["星期", "礼拜", "周"]) {
            let Some(name) = s.chars.get(at + p + w) else { continue };
            let Some(weekday) = ZH_WEEKDAYS.chars().position(|c| c == *name) else { continue };
            let weekday = (weekday as u32).min(6);
            let date = if weeks >= 0 {
                weekday_of(today, weeks, weekday)
            } else {
                // 周三 on a Thursday is next Wednesday.
                let this = weekday_of(today, 0, weekday);
                if this >= today { this } else { this.add_days(7) }
            };
            return Some((date, p + w + 1));
        }
    }
    // 3天后, 三天后, 两周后, 2个星期后, 1个月后.
    if let Some((n, len)) = s.number_at(at) {
        let n = n as i32;
        for (unit, days) in [
            ("天后", 1),
            ("天之后", 1),
            ("日后", 1),
            ("周后", 7),
            ("个星期后", 7),
            ("星期后", 7),
            ("个礼拜后", 7),
        ] {
            if s.is_at(at + len, unit) {
                return Some((today.add_days(n * days), len + unit.chars().count()));
            }
        }
        // 11月20日, 11月20号, 十一月二十日.
        if s.is_at(at + len, "月")
            && let Some((d, dlen)) = s.number_at(at + len + 1)
        {
            let end = at + len + 1 + dlen;
            let suffix = s.any_at(end, &["日", "号"]).unwrap_or(0);
            if let Some(date) = next_date(today, n as u32, d) {
                return Some((date, end + suffix - at));
            }
        }
        // 20号: this month's, else next month's; not 2号款, 3号仓 (a style, a warehouse).
        let numbered_thing = s.is_at(at + len, "号")
            && s.chars.get(at + len + 1).is_some_and(|c| "款仓店线楼位口箱包台机链".contains(*c));
        if s.any_at(at + len, &["号", "日"]).is_some() && !numbered_thing {
            let (year, month, _) = today.ymd();
            let this = Date::from_ymd(year, month, n as u32);
            let date = match this {
                Some(d) if d >= today => Some(d),
                _ => {
                    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                    Date::from_ymd(y, m, n as u32)
                }
            };
            if let Some(date) = date {
                return Some((date, len + 1));
            }
        }
    }
    if s.is_at(at, "月底") {
        return Some((end_of_month(today), 2));
    }
    if s.is_at(at, "下个月")
        && let Some((d, len)) = s.number_at(at + 3)
        && let Some(k) = s.any_at(at + 3 + len, &["号", "日"])
    {
        let (year, month, _) = today.ymd();
        let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        return Some((Date::from_ymd(y, m, d)?, 3 + len + k));
    }
    // Festivals, with 前三天 / 后两天 / 前一天 after them.
    for (names, month, day) in FESTIVALS.iter().filter(|_| festivals) {
        for name in *names {
            if !(s.is_word_at(at, name) || (!name.is_ascii() && s.is_at(at, name))) {
                continue;
            }
            let date = next_date(today, *month, *day)?;
            let after = at + name.chars().count();
            for (dir, sign) in [("前", -1), ("后", 1)] {
                if s.is_at(after, dir)
                    && let Some((n, len)) = s.number_at(after + 1)
                    && s.is_at(after + 1 + len, "天")
                {
                    return Some((date.add_days(sign * n as i32), after + 2 + len - at));
                }
            }
            return Some((date, after - at));
        }
    }
    english_day_at(s, at, today)
}

/// The month a word names: `nov`, `november`.
fn month_named(word: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let at = FULL.iter().position(|m| *m == word).or_else(|| EN_MONTHS.iter().position(|m| *m == word))?;
    Some(at as u32 + 1)
}

fn english_day_at(s: &Scan, at: usize, today: Date) -> Option<(Date, usize)> {
    for (word, days) in [("day after tomorrow", 2), ("tomorrow", 1), ("today", 0), ("tonight", 0)] {
        if s.is_word_at(at, word) {
            return Some((today.add_days(days), word.len()));
        }
    }
    if s.is_word_at(at, "end of month") || s.is_word_at(at, "end of the month") {
        let len = if s.is_at(at, "end of month") { 12 } else { 16 };
        return Some((end_of_month(today), len));
    }
    // next friday, this friday, friday.
    for (prefix, weeks) in [("next ", 1), ("this ", 0), ("", -1)] {
        if !prefix.is_empty() && !s.is_word_at(at, prefix.trim()) {
            continue;
        }
        for (weekday, name) in EN_WEEKDAYS.iter().enumerate() {
            let short = &name[..3];
            let p = prefix.len();
            let len = if s.is_word_at(at + p, name) {
                name.len()
            } else if !prefix.is_empty() && s.is_word_at(at + p, short) {
                3
            } else {
                continue;
            };
            let weekday = weekday as u32;
            let date = if weeks >= 0 {
                weekday_of(today, weeks, weekday)
            } else {
                let this = weekday_of(today, 0, weekday);
                if this >= today { this } else { this.add_days(7) }
            };
            return Some((date, p + len));
        }
    }
    // in 3 days, in 2 weeks; 3 days before double 11.
    // Where the English word from `from` ends (the text's end at most).
    let word_end = |from: usize| {
        let mut i = from.min(s.len());
        while i < s.len() && s.lower[i].is_ascii_alphabetic() {
            i += 1;
        }
        i
    };
    if s.is_word_at(at, "in")
        && let Some((n, len)) = s.number_at(at + 3)
    {
        let unit_at = at + 3 + len + 1;
        let unit: String = s.lower[unit_at.min(s.len())..word_end(unit_at)].iter().collect();
        let days = match unit.as_str() {
            "day" | "days" => 1,
            "week" | "weeks" => 7,
            _ => return None,
        };
        return Some((today.add_days(n as i32 * days), unit_at + unit.len() - at));
    }
    if let Some((n, len)) = s.number_at(at).filter(|_| at == 0 || !s.lower[at - 1].is_ascii_alphanumeric()) {
        let unit_at = at + len + 1;
        let unit: String = s.lower[unit_at.min(s.len())..word_end(unit_at)].iter().collect();
        if (unit == "days" || unit == "day") && s.is_at(unit_at + unit.len(), " before ") {
            let festival_at = unit_at + unit.len() + 8;
            if let Some((date, flen)) = day_at(s, festival_at, today, true) {
                return Some((date.add_days(-(n as i32)), festival_at + flen - at));
            }
        }
        // 20 nov, 20th november.
        let ordinal = ["st", "nd", "rd", "th"].iter().find(|o| s.is_at(at + len, o)).map_or(0, |_| 2);
        let month_at = at + len + ordinal + 1;
        let end = word_end(month_at);
        let word: String = s.lower[month_at.min(s.len())..end].iter().collect();
        if s.chars.get(at + len + ordinal) == Some(&' ')
            && let Some(month) = month_named(&word)
            && let Some(date) = next_date(today, month, n)
        {
            return Some((date, end - at));
        }
        // 11/20, 2026-11-20.
        if let Some(date) = numeric_date(s, at, today) {
            return Some(date);
        }
    }
    if s.is_word_at(at, "the day before")
        && let Some((date, flen)) = day_at(s, at + 15, today, true)
    {
        return Some((date.add_days(-1), 15 + flen));
    }
    // nov 20, november 20th.
    if at == 0 || !s.lower[at - 1].is_ascii_alphabetic() {
        let end = word_end(at);
        let word: String = s.lower[at..end].iter().collect();
        if let Some(month) = month_named(&word)
            && s.chars.get(end) == Some(&' ')
            && let Some((d, len)) = s.number_at(end + 1)
        {
            let ordinal =
                ["st", "nd", "rd", "th"].iter().find(|o| s.is_at(end + 1 + len, o)).map_or(0, |_| 2);
            if let Some(date) = next_date(today, month, d) {
                return Some((date, end + 1 + len + ordinal - at));
            }
        }
    }
    None
}

/// `2026-11-20`, `2026/11/20` or `11/20` at `at`.
fn numeric_date(s: &Scan, at: usize, today: Date) -> Option<(Date, usize)> {
    let (a, alen) = s.number_at(at)?;
    let sep = *s.chars.get(at + alen)?;
    if sep != '-' && sep != '/' {
        return None;
    }
    let (b, blen) = s.number_at(at + alen + 1)?;
    if alen == 4 {
        let (c, clen) =
            s.number_at(at + alen + 2 + blen).filter(|_| s.chars.get(at + alen + 1 + blen) == Some(&sep))?;
        return Some((Date::from_ymd(a as i32, b, c)?, alen + 2 + blen + clen));
    }
    Some((next_date(today, a, b)?, alen + 1 + blen))
}

/// The first time of day named: 下午三点, 下午3点半, 15:30, 3pm, 3:30 pm, noon.
fn time_of_day(s: &mut Scan) -> Option<((u8, u8), (usize, usize))> {
    for at in 0..s.len() {
        if let Some((time, len)) = time_at(s, at) {
            s.take(at, len);
            return Some((time, (at, len)));
        }
    }
    None
}

fn time_at(s: &Scan, at: usize) -> Option<((u8, u8), usize)> {
    for (word, time) in [("中午", (12, 0)), ("noon", (12, 0)), ("midnight", (23, 59))] {
        // 中午 on its own; 中午12点 is read below.
        if s.is_at(at, word) && s.number_at(at + word.chars().count()).is_none() {
            return Some((time, word.chars().count()));
        }
    }
    // 上午/下午/晚上 + N点 (半 | M分).
    let (pm, p) = match s.any_at(at, &["下午", "晚上", "傍晚"]) {
        Some(p) => (Some(true), p),
        None => match s.any_at(at, &["上午", "早上", "中午"]) {
            Some(p) => (Some(false), p),
            None => (None, 0),
        },
    };
    let (hour, hlen) = s.number_at(at + p)?;
    let after = at + p + hlen;
    if let Some(k) = s.any_at(after, &["点", "點", "时"]) {
        let (minute, mlen) = if s.is_at(after + k, "半") {
            (30, 1)
        } else if let Some((m, mlen)) = s.number_at(after + k).filter(|(m, _)| *m < 60) {
            (m, mlen + s.any_at(after + k + mlen, &["分"]).unwrap_or(0))
        } else {
            (0, 0)
        };
        let hour = match pm {
            Some(true) if hour < 12 => hour + 12,
            Some(false) if hour == 12 && p > 0 && s.is_at(at, "中午") => 12,
            _ => hour,
        };
        return (hour < 24).then_some(((hour as u8, minute as u8), p + hlen + k + mlen));
    }
    // 15:30, 3:30pm, 3pm, 3 pm.
    let (minute, mlen) = if s.chars.get(after) == Some(&':') {
        let (m, mlen) = s.number_at(after + 1).filter(|(m, len)| *m < 60 && *len == 2)?;
        (m, mlen + 1)
    } else {
        (0, 0)
    };
    let end = after + mlen;
    let space = usize::from(s.chars.get(end) == Some(&' '));
    // "pm" right after the number, or after a space.
    let ends_word = |at: usize| !s.lower.get(at).is_some_and(char::is_ascii_alphanumeric);
    let meridiem = if s.is_at(end + space, "pm") && ends_word(end + space + 2) {
        Some(true)
    } else if s.is_at(end + space, "am") && ends_word(end + space + 2) {
        Some(false)
    } else {
        None
    };
    let hour = match (meridiem.or(pm), hour) {
        (Some(true), h) if h < 12 => h + 12,
        (Some(false), 12) => 0,
        (_, h) => h,
    };
    if hour >= 24 || (meridiem.is_none() && mlen == 0) {
        return None;
    }
    let len = p + hlen + mlen + meridiem.map_or(0, |_| space + 2);
    Some(((hour as u8, minute as u8), len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    /// Tuesday, 2026-11-03.
    fn today() -> Date {
        Date::from_ymd(2026, 11, 3).expect("valid test data")
    }

    fn day(m: u32, d: u32) -> Option<Date> {
        Date::from_ymd(if m < 11 || (m == 11 && d < 3) { 2027 } else { 2026 }, m, d)
    }

    #[test]
    fn phrases_in_both_languages_become_tasks() {
        let team: Vec<Member> = ["小王", "王小明", "李娜", "Alice", "Bob Chen"]
            .into_iter()
            .map(|name| Member::new(name, vec![Role::Editor]))
            .collect();
        let id = |name: &str| team.iter().find(|m| m.name == name).expect("valid test data").id;
        let (wang, xiaoming, lina, alice, bob) =
            (id("小王"), id("王小明"), id("李娜"), id("Alice"), id("Bob Chen"));
        use Priority::*;
        // (phrase, title, due, time, assignees, priority)
        #[allow(clippy::type_complexity)]
        let table: Vec<(
            &str,
            &str,
            Option<Date>,
            Option<(u8, u8)>,
            Vec<MemberId>,
            Option<Priority>,
        )> = vec![
            (
                "明天下午三点前完成首页banner设计，负责人小王",
                "首页banner设计",
                day(11, 4),
                Some((15, 0)),
                vec![wang],
                None,
            ),
            ("下周三前交主图，交给王小明", "交主图", day(11, 11), None, vec![xiaoming], None),
            ("双十一前三天完成库存调拨", "库存调拨", day(11, 8), None, vec![], None),
            ("618前一天上线预售页", "上线预售页", day(6, 17), None, vec![], None),
            ("紧急：客服话术更新 @李娜", "客服话术更新", None, None, vec![lina], Some(Urgent)),
            ("后天上午10点半直播彩排", "直播彩排", day(11, 5), Some((10, 30)), vec![], None),
            ("周五之前提交优惠券规则，小王负责", "提交优惠券规则", day(11, 6), None, vec![wang], None),
            ("3天后复盘会", "复盘会", day(11, 6), None, vec![], None),
            ("两周后 物流对账", "物流对账", day(11, 17), None, vec![], None),
            ("11月20日前 详情页定稿 重要", "详情页定稿", day(11, 20), None, vec![], Some(High)),
            ("20号 发货演练 不急", "发货演练", day(11, 20), None, vec![], Some(Low)),
            ("月底前结算推广费用", "结算推广费用", day(11, 30), None, vec![], None),
            ("今天晚上8点 检查库存", "检查库存", day(11, 3), Some((20, 0)), vec![], None),
            ("下下周一 选品会", "选品会", day(11, 16), None, vec![], None),
            ("星期天 客服排班", "客服排班", day(11, 8), None, vec![], None),
            ("双12后两天 退货高峰预案", "退货高峰预案", day(12, 14), None, vec![], None),
            ("P0 支付页白屏修复", "支付页白屏修复", None, None, vec![], Some(Urgent)),
            ("加急 样品寄送 指派给李娜 明天", "样品寄送", day(11, 4), None, vec![lina], Some(Urgent)),
            ("下个月5号 年货节方案", "年货节方案", day(12, 5), None, vec![], None),
            ("15:30 确认直播间布置", "确认直播间布置", day(11, 3), Some((15, 30)), vec![], None),
            ("王小明和小王一起做包装设计", "王小明和小王一起做包装设计", None, None, vec![], None),
            (
                "Finish homepage banner by 3pm tomorrow, assign to Alice",
                "Finish homepage banner",
                day(11, 4),
                Some((15, 0)),
                vec![alice],
                None,
            ),
            (
                "Coupon rules review next wednesday @Bob Chen",
                "Coupon rules review",
                day(11, 11),
                None,
                vec![bob],
                None,
            ),
            ("Stock transfer 3 days before double 11", "Stock transfer", day(11, 8), None, vec![], None),
            ("urgent: fix checkout page", "fix checkout page", None, None, vec![], Some(Urgent)),
            (
                "Live stream rehearsal on friday at 10:30 am",
                "Live stream rehearsal",
                day(11, 6),
                Some((10, 30)),
                vec![],
                None,
            ),
            (
                "Packaging design in 5 days, owner Alice, high priority",
                "Packaging design",
                day(11, 8),
                None,
                vec![alice],
                Some(High),
            ),
            ("Ship samples by nov 20", "Ship samples", day(11, 20), None, vec![], None),
            (
                "Settle ad spend end of month low priority",
                "Settle ad spend",
                day(11, 30),
                None,
                vec![],
                Some(Low),
            ),
            ("Banner for 618 by 2027-06-01", "Banner for 618", day(6, 1), None, vec![], None),
            (
                "Review returns policy today 4 pm",
                "Review returns policy",
                day(11, 3),
                Some((16, 0)),
                vec![],
                None,
            ),
            (
                "Plan Singles' Day livestream by 20th november",
                "Plan Singles' Day livestream",
                day(11, 20),
                None,
                vec![],
                None,
            ),
            ("Warehouse drill the day before 618", "Warehouse drill", day(6, 17), None, vec![], None),
            ("Write FAQ for customer service", "Write FAQ for customer service", None, None, vec![], None),
            (
                "Prepare double 11 warehouse staffing in 2 weeks",
                "Prepare double 11 warehouse staffing",
                day(11, 17),
                None,
                vec![],
                None,
            ),
        ];
        assert!(table.len() >= 30);
        for (phrase, title, due, time, assignees, priority) in table {
            let read = parse(phrase, today(), &team);
            let want = QuickAdd {
                title: title.to_owned(),
                due,
                due_time: time,
                assignees,
                priority,
                unknown_people: Vec::new(),
            };
            assert_eq!(read, want, "{phrase}");
        }
    }

    proptest::proptest! {
        /// Whatever is typed, reading it never fails, and the title is made of what was
        /// typed.
        #[test]
        fn any_text_is_read_without_failing(text in "[0-9 a-zA-Z:：.,/\\-年月日号天周后前下午点半双十一二三八两@负责人明天pm]{0,24}") {
            let team = vec![Member::new("小王", vec![Role::Editor]), Member::new("Al", vec![Role::Editor])];
            let read = parse(&text, today(), &team);
            let typed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let mut rest = typed.chars();
            proptest::prop_assert!(
                read.title.chars().filter(|c| !c.is_whitespace()).all(|c| rest.any(|t| t == c)),
                "{:?} from {:?}", read.title, text
            );
        }
    }

    #[test]
    fn a_title_with_nothing_to_read_in_it_stays_exactly_as_typed() {
        for typed in ["A：新增复盘会", "离线：第二个标签页", "主图拍摄（２号款）", "  页面优化 "]
        {
            assert_eq!(parse(typed, today(), &[]).title, typed.trim(), "{typed}");
        }
    }

    #[test]
    fn a_person_who_is_not_a_member_is_reported_not_guessed() {
        let team = vec![Member::new("小王", vec![Role::Editor])];
        let read = parse("明天 首页banner设计，负责人老张", today(), &team);
        assert_eq!(read.title, "首页banner设计");
        assert!(read.assignees.is_empty());
        assert_eq!(read.unknown_people, ["老张"]);
    }
}
