/*
 * test_journal.c — the accountant's bookings (engine/decide/journal.c),
 * without SQLite: part 1 invoices and credit notes, part 2 payments rows,
 * part 3 credit-balance movements, part 4 package-credit entries, part 5
 * descriptions, order and totals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"
#include "decide/journal.h"

static cdate D(int y, int m, int d) { return date_from_ymd(y, m, d); }

static const struct journal_codes C = {"1300", "1100", "1500", "8000",
                                       "1700", "1600", "7000", "1520"};

/* Line i is code, debit, credit. */
static void assert_line(const struct jlines *l, size_t i, const char *code,
                        int64_t debit, int64_t credit)
{
    assert_true(i < l->n);
    assert_string_equal(l->v[i].code, code);
    assert_int_equal(l->v[i].debit_cents, debit);
    assert_int_equal(l->v[i].credit_cents, credit);
}

/* An invoice with the given rates: (id, bp, exempt, base, vat). */
static struct invoice inv_of(enum invoice_kind kind, const char *number,
                             int64_t total, size_t n_vats,
                             struct invoice_vat *vats)
{
    struct invoice inv;
    memset(&inv, 0, sizeof inv);
    inv.kind = kind;
    inv.number = (char *)number;
    inv.to.id = (char *)"jan";
    inv.issued = D(2026, 1, 1);
    inv.total_cents = total;
    inv.vats = vats;
    inv.n_vats = n_vats;
    return inv;
}

/* ============================================================ invoices */

/* 1.1 An exempt invoice of 45.00: debtors debit, sales credit. */
static void inv_1_1_exempt(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"vrij", 0, 1, NULL, 4500, 0}};
    struct invoice inv = inv_of(INV_SUBSCRIPTION, "2026-00001", 4500, 1, v);
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "nl", &inv, &l);
    assert_int_equal(l.n, 2);
    assert_line(&l, 0, "1300", 4500, 0);
    assert_line(&l, 1, "8000", 0, 4500);
    assert_string_equal(l.v[0].source, "invoice 2026-00001");
    assert_int_equal(l.v[0].on, D(2026, 1, 1));
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 1.2 Two rates, one with 21% VAT: sales per rate and the VAT payable. */
static void inv_1_2_two_rates(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"vrij", 0, 1, NULL, 45000, 0},
                              {(char *)"hoog", 2100, 0, NULL, 2000, 420}};
    struct invoice inv = inv_of(INV_PRODUCT, "2026-00002", 47420, 2, v);
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "nl", &inv, &l);
    assert_int_equal(l.n, 4);
    assert_line(&l, 0, "1300", 47420, 0);
    assert_line(&l, 1, "8000", 0, 45000);
    assert_line(&l, 2, "8000", 0, 2000);
    assert_line(&l, 3, "1500", 0, 420);
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 1.3 A credit note books the other way round. */
static void inv_1_3_credit_note(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"hoog", 2100, 0, NULL, -826, -174}};
    struct invoice inv = inv_of(INV_CREDIT, "2026-00003", -1000, 1, v);
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "nl", &inv, &l);
    assert_int_equal(l.n, 3);
    assert_line(&l, 0, "1300", 0, 1000);
    assert_line(&l, 1, "8000", 826, 0);
    assert_line(&l, 2, "1500", 174, 0);
    assert_string_equal(l.v[0].source, "credit note 2026-00003");
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 1.4 A total the rates do not add up to: the cent goes to the first
 * rate's sales, so the booking still balances. */
static void inv_1_4_rest(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"hoog", 2100, 0, NULL, 4959, 1040}};
    struct invoice inv = inv_of(INV_SUBSCRIPTION, "2026-00004", 6000, 1, v);
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "nl", &inv, &l);
    assert_line(&l, 1, "8000", 0, 4960);
    assert_line(&l, 2, "1500", 0, 1040);
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 1.5 An invoice issued in a supplier's name (self-billing): its total
 * is owed to the supplier, not the practice's sales or VAT. */
static void inv_1_5_supplier(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"hoog", 2100, 0, NULL, 10000, 2100}};
    struct invoice inv = inv_of(INV_SUBSCRIPTION, "S1-0001", 12100, 1, v);
    inv.supplier.id = (char *)"piet";
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "en", &inv, &l);
    assert_int_equal(l.n, 2);
    assert_line(&l, 0, "1300", 12100, 0);
    assert_line(&l, 1, "1600", 0, 12100);
    assert_string_equal(l.v[1].description, "invoice S1-0001: piet");
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 1.6 A self-billed invoice (the practice buys a supplier's hours):
 * purchases and the VAT to deduct, against what is owed to the supplier. */
static void inv_1_6_self_billed(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"hoog", 2100, 0, NULL, 132000, 27720}};
    struct invoice inv = inv_of(INV_SELFBILL, "bram-2027-0001", 159720, 1, v);
    inv.supplier.id = (char *)"bram";
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "en", &inv, &l);
    assert_int_equal(l.n, 3);
    assert_line(&l, 0, "1600", 0, 159720);
    assert_line(&l, 1, "7000", 132000, 0);
    assert_line(&l, 2, "1520", 27720, 0);
    assert_string_equal(l.v[0].source, "invoice bram-2027-0001");
    assert_int_equal(inv.vats[0].base_cents, 132000); /* left as it was */
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* ============================================================ payments */

static size_t book_pay(const char *method, const char *undone, int64_t amount,
                       struct jlines *l)
{
    struct journal_payment p = {7, D(2026, 1, 5), method, undone, amount,
                                "2026-00001", "jan"};
    return journal_book_payment(&C, "en", &p, l);
}

/* 2.1 Money received (by hand, bank, direct debit): bank against
 * debtors. */
static void pay_2_1_received(void **state)
{
    (void)state;
    static const char *const m[] = {"manual", "bank", "direct_debit"};
    for (size_t i = 0; i < 3; i++) {
        struct jlines l = {NULL, 0};
        assert_int_equal(book_pay(m[i], NULL, 4500, &l), 2);
        assert_line(&l, 0, "1100", 4500, 0);
        assert_line(&l, 1, "1300", 0, 4500);
        assert_string_equal(l.v[0].source, "payment 7");
        assert_int_equal(l.v[0].on, D(2026, 1, 5));
        jlines_free(&l);
    }
}

/* 2.2 A bank reversal and a refund (negative rows): debtors against
 * bank. */
static void pay_2_2_money_back(void **state)
{
    (void)state;
    static const char *const m[] = {"reversal", "refund"};
    for (size_t i = 0; i < 2; i++) {
        struct jlines l = {NULL, 0};
        assert_int_equal(book_pay(m[i], NULL, -4500, &l), 2);
        assert_line(&l, 0, "1300", 4500, 0);
        assert_line(&l, 1, "1100", 0, 4500);
        jlines_free(&l);
    }
}

/* 2.3 A credit balance applied: balances against debtors. */
static void pay_2_3_balance(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_pay("balance", NULL, 500, &l), 2);
    assert_line(&l, 0, "1700", 500, 0);
    assert_line(&l, 1, "1300", 0, 500);
    jlines_free(&l);
}

/* 2.4 An undo books as the row it undoes, with its own amount. */
static void pay_2_4_undo(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_pay("undo", "manual", -2500, &l), 2);
    assert_line(&l, 0, "1300", 2500, 0);
    assert_line(&l, 1, "1100", 0, 2500);
    assert_int_equal(book_pay("undo", "balance", -500, &l), 2);
    assert_line(&l, 2, "1300", 500, 0);
    assert_line(&l, 3, "1700", 0, 500);
    assert_int_equal(book_pay("undo", "refund", 2000, &l), 2);
    assert_line(&l, 4, "1100", 2000, 0);
    assert_line(&l, 5, "1300", 0, 2000);
    assert_int_equal(book_pay("undo", NULL, -100, &l), 0);
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 2.5 Credit-note applications book nothing (debtors both sides); nor do
 * rows of 0. */
static void pay_2_5_nothing(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_pay("credit_note", NULL, 4500, &l), 0);
    assert_int_equal(book_pay("credit_note", NULL, -4500, &l), 0);
    assert_int_equal(book_pay("manual", NULL, 0, &l), 0);
    assert_int_equal(l.n, 0);
    jlines_free(&l);
}

/* 2.6 Mediation: a commission withheld from a payout settles it against
 * what is owed to the supplier; a self-billed invoice settled by the
 * payout books nothing (the transfer is booked, 2.7). */
static void pay_2_6_mediation(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_pay("withheld", NULL, 15972, &l), 2);
    assert_line(&l, 0, "1600", 15972, 0);
    assert_line(&l, 1, "1300", 0, 15972);
    assert_int_equal(book_pay("payout", NULL, 159720, &l), 0);
    assert_int_equal(book_pay("undo", "payout", -159720, &l), 0);
    assert_int_equal(l.n, 2);
    jlines_free(&l);
}

/* 2.7 A transfer to a supplier: what is owed to suppliers against bank,
 * on its export day, its end-to-end id as the source. */
static void pay_2_7_payout(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    struct journal_payout p = {D(2027, 4, 5), "anna", "PAY-20270405-1",
                               "PPAY-20270405-1-1", 131212};
    assert_int_equal(journal_book_payout(&C, "nl", &p, &l), 2);
    assert_line(&l, 0, "1600", 131212, 0);
    assert_line(&l, 1, "1100", 0, 131212);
    assert_int_equal(l.v[0].on, D(2027, 4, 5));
    assert_string_equal(l.v[1].source, "payout PPAY-20270405-1-1");
    assert_string_equal(l.v[0].description,
                        "uitbetaald aan leverancier anna, PAY-20270405-1");
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* ============================================================ balances */

static size_t book_move(const char *kind, int64_t amount, struct jlines *l)
{
    struct journal_balance_move m = {3, D(2026, 1, 8), kind, amount, "jan",
                                     "2026-00001"};
    return journal_book_balance_move(&C, "en", &m, l);
}

/* 3.1 An overpayment: bank against balances. */
static void bal_3_1_overpayment(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_move("overpayment", 500, &l), 2);
    assert_line(&l, 0, "1100", 500, 0);
    assert_line(&l, 1, "1700", 0, 500);
    assert_string_equal(l.v[0].source, "balance 3");
    jlines_free(&l);
}

/* 3.2 A balance refunded, and an overpayment undone: balances against
 * bank. */
static void bal_3_2_out(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_move("refund", -500, &l), 2);
    assert_line(&l, 0, "1700", 500, 0);
    assert_line(&l, 1, "1100", 0, 500);
    assert_int_equal(book_move("undo", -300, &l), 2);
    assert_line(&l, 2, "1700", 300, 0);
    assert_line(&l, 3, "1100", 0, 300);
    jlines_free(&l);
}

/* 3.3 Applications and their undos are booked by their payments rows. */
static void bal_3_3_through_payments(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    assert_int_equal(book_move("applied", -500, &l), 0);
    assert_int_equal(book_move("undo", 500, &l), 0);
    assert_int_equal(l.n, 0);
    jlines_free(&l);
}

/* ============================================================ credits */

/* 4.1 "debtors" of a grant entry is the sales account; a package's own
 * codes stay. */
static void cred_4_1_codes(void **state)
{
    (void)state;
    struct journal_entry a = {D(2026, 3, 4), (char *)"debtors", 45000, 0,
                              (char *)"10 credits", (char *)"grant 1"};
    struct journal_entry b = {D(2026, 3, 4), (char *)"1610", 0, 45000,
                              (char *)"10 credits", (char *)"grant 1"};
    struct jlines l = {NULL, 0};
    journal_book_credit_entry(&C, &a, CDATE_NONE, &l);
    journal_book_credit_entry(&C, &b, CDATE_NONE, &l);
    assert_line(&l, 0, "8000", 45000, 0);
    assert_line(&l, 1, "1610", 0, 45000);
    assert_string_equal(l.v[1].source, "grant 1");
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 4.2 A use booked on 2026-03-04 for care on 2026-03-23 is dated on the
 * care date; a cancellation after the care date keeps its own date. */
static void cred_4_2_care_date(void **state)
{
    (void)state;
    struct journal_entry u = {D(2026, 3, 4), (char *)"1610", 4250, 0,
                              (char *)"1 credit used", (char *)"appointment x"};
    struct journal_entry r = {D(2026, 3, 30), (char *)"1610", 0, 4250,
                              (char *)"cancelled", (char *)"appointment x"};
    struct jlines l = {NULL, 0};
    journal_book_credit_entry(&C, &u, D(2026, 3, 23), &l);
    journal_book_credit_entry(&C, &r, D(2026, 3, 23), &l);
    assert_int_equal(l.v[0].on, D(2026, 3, 23));
    assert_int_equal(l.v[1].on, D(2026, 3, 30));
    jlines_free(&l);
}

/* ============================================================ words, order */

/* 5.1 Descriptions in the practice's language; English for others. */
static void words_5_1_locales(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"vrij", 0, 1, NULL, 4500, 0}};
    struct invoice inv = inv_of(INV_SUBSCRIPTION, "2026-00001", 4500, 1, v);
    static const char *const want[][2] = {
        {"nl", "factuur 2026-00001, jan"},
        {"fr", "facture 2026-00001, jan"},
        {"en", "invoice 2026-00001, jan"},
        {"de", "invoice 2026-00001, jan"}};
    for (size_t i = 0; i < 4; i++) {
        struct jlines l = {NULL, 0};
        journal_book_invoice(&C, want[i][0], &inv, &l);
        assert_string_equal(l.v[0].description, want[i][1]);
        jlines_free(&l);
    }
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "nl", &inv, &l);
    assert_string_equal(l.v[1].description,
                        "factuur 2026-00001: omzet 0% vrijgesteld");
    jlines_free(&l);
    struct journal_payment p = {1, D(2026, 1, 5), "manual", NULL, 100,
                                "2026-00001", "jan"};
    journal_book_payment(&C, "fr", &p, &l);
    assert_string_equal(l.v[0].description, "reçu sur 2026-00001, jan");
    jlines_free(&l);
}

/* 5.2 Sorting orders by date and keeps the booking order within a day. */
static void order_5_2_sort(void **state)
{
    (void)state;
    struct jlines l = {NULL, 0};
    struct journal_payment p1 = {1, D(2026, 2, 1), "manual", NULL, 100, "A",
                                 "jan"};
    struct journal_payment p2 = {2, D(2026, 1, 1), "manual", NULL, 200, "B",
                                 "jan"};
    journal_book_payment(&C, "en", &p1, &l);
    journal_book_payment(&C, "en", &p2, &l);
    journal_sort(&l);
    assert_int_equal(l.n, 4);
    assert_line(&l, 0, "1100", 200, 0);
    assert_line(&l, 1, "1300", 0, 200);
    assert_line(&l, 2, "1100", 100, 0);
    assert_line(&l, 3, "1300", 0, 100);
    jlines_free(&l);
}

/* 5.3 Totals of one code, over every line or one source family; a set of
 * bookings balances. */
static void totals_5_3(void **state)
{
    (void)state;
    struct invoice_vat v[] = {{(char *)"vrij", 0, 1, NULL, 4500, 0}};
    struct invoice inv = inv_of(INV_SUBSCRIPTION, "2026-00001", 4500, 1, v);
    struct jlines l = {NULL, 0};
    journal_book_invoice(&C, "en", &inv, &l);
    book_pay("manual", NULL, 5000, &l);
    int64_t d, c;
    journal_code_totals(&l, "1300", NULL, &d, &c);
    assert_int_equal(d, 4500);
    assert_int_equal(c, 5000);
    journal_code_totals(&l, "1300", "invoice ", &d, &c);
    assert_int_equal(d, 4500);
    assert_int_equal(c, 0);
    journal_code_totals(&l, "9999", NULL, &d, &c);
    assert_int_equal(d + c, 0);
    assert_int_equal(journal_imbalance(&l), 0);
    jlines_free(&l);
}

/* 5.4 The default codes. */
static void codes_5_4_default(void **state)
{
    (void)state;
    struct journal_codes c = journal_codes_default();
    assert_string_equal(c.debtors, "1300");
    assert_string_equal(c.bank, "1100");
    assert_string_equal(c.vat, "1500");
    assert_string_equal(c.revenue, "8000");
    assert_string_equal(c.balances, "1700");
    assert_string_equal(c.suppliers, "1600");
    assert_string_equal(c.purchases, "7000");
    assert_string_equal(c.vat_input, "1520");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inv_1_1_exempt),
        cmocka_unit_test(inv_1_2_two_rates),
        cmocka_unit_test(inv_1_3_credit_note),
        cmocka_unit_test(inv_1_4_rest),
        cmocka_unit_test(inv_1_5_supplier),
        cmocka_unit_test(inv_1_6_self_billed),
        cmocka_unit_test(pay_2_6_mediation),
        cmocka_unit_test(pay_2_7_payout),
        cmocka_unit_test(pay_2_1_received),
        cmocka_unit_test(pay_2_2_money_back),
        cmocka_unit_test(pay_2_3_balance),
        cmocka_unit_test(pay_2_4_undo),
        cmocka_unit_test(pay_2_5_nothing),
        cmocka_unit_test(bal_3_1_overpayment),
        cmocka_unit_test(bal_3_2_out),
        cmocka_unit_test(bal_3_3_through_payments),
        cmocka_unit_test(cred_4_1_codes),
        cmocka_unit_test(cred_4_2_care_date),
        cmocka_unit_test(words_5_1_locales),
        cmocka_unit_test(order_5_2_sort),
        cmocka_unit_test(totals_5_3),
        cmocka_unit_test(codes_5_4_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
