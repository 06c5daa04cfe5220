"""Working days: deadlines skip official holidays, count 调休 make-up days, and the office's entries win."""

import datetime

import chinese_calendar
import pytest

from core.models import WorkdayOverride
from core.workdays import add_working_days, is_working_day

D = datetime.date


def an_uncovered_year():
    """A year the installed chinese_calendar has no data for (it raises NotImplementedError)."""
    year = datetime.date.today().year + 5
    while True:
        try:
            chinese_calendar.is_workday(D(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


@pytest.mark.django_db
def test_three_working_days_after_28_september_2023_skip_the_national_day_holiday():
    # 2023-09-29 … 10-06 are 中秋/国庆; Saturday 10-07 and Sunday 10-08 are 调休 working days.
    assert add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert add_working_days(D(2023, 9, 28), 3) == D(2023, 10, 9)


@pytest.mark.django_db
def test_the_make_up_saturday_is_a_working_day_and_the_holiday_is_not():
    assert is_working_day(D(2023, 10, 7))
    assert not is_working_day(D(2023, 10, 2))
    assert not is_working_day(D(2023, 9, 30))
    assert is_working_day(D(2023, 9, 28))


@pytest.mark.django_db
def test_an_ordinary_weekend_is_skipped():
    # Friday 2023-11-03 + 1 working day is Monday 2023-11-06.
    assert add_working_days(D(2023, 11, 3), 1) == D(2023, 11, 6)
    assert not is_working_day(D(2023, 11, 4))


@pytest.mark.django_db
def test_an_office_entry_wins_over_the_official_calendar():
    WorkdayOverride.objects.create(date=D(2023, 10, 7), is_workday=False, note="本市另行安排")
    WorkdayOverride.objects.create(date=D(2023, 10, 2), is_workday=True, note="专项攻坚值班")
    assert not is_working_day(D(2023, 10, 7))
    assert is_working_day(D(2023, 10, 2))
    assert add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 2)
    # 10-02 (entry), 10-08 (调休 Sunday), 10-09 (Monday): the 10-07 entry removed one day.
    assert add_working_days(D(2023, 9, 28), 3) == D(2023, 10, 9)
    assert add_working_days(D(2023, 9, 28), 2) == D(2023, 10, 8)


@pytest.mark.django_db
def test_a_year_the_calendar_does_not_know_counts_monday_to_friday_plus_the_office_entries():
    year = an_uncovered_year()
    friday = D(year, 3, 1)
    while friday.weekday() != 4:
        friday += datetime.timedelta(days=1)
    monday = friday + datetime.timedelta(days=3)
    assert is_working_day(friday)
    assert not is_working_day(friday + datetime.timedelta(days=1))
    assert add_working_days(friday, 1) == monday
    WorkdayOverride.objects.create(date=monday, is_workday=False, note="国务院办公厅通知的假日")
    assert add_working_days(friday, 1) == monday + datetime.timedelta(days=1)
    WorkdayOverride.objects.create(date=friday + datetime.timedelta(days=1), is_workday=True, note="调休上班")
    assert add_working_days(friday, 1) == friday + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_zero_days_is_the_start_and_a_negative_count_goes_back():
    assert add_working_days(D(2023, 10, 1), 0) == D(2023, 10, 1)
    assert add_working_days(D(2023, 10, 9), -3) == D(2023, 10, 7) - datetime.timedelta(days=9)
    assert add_working_days(D(2023, 10, 9), -1) == D(2023, 10, 8)


@pytest.mark.django_db
def test_a_long_span_reads_the_office_entries_in_few_queries(django_assert_max_num_queries):
    # 250 working days need about a year of calendar: a handful of window reads, not one per day.
    with django_assert_max_num_queries(8):
        end = add_working_days(D(2023, 1, 3), 250)
    assert end.year == 2024
