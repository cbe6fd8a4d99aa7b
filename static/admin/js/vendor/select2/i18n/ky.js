/*
 * Kyrgyz messages for select2, the admin's autocomplete fields.
 * Written for this project: Django ships select2 translations for Russian
 * but not for Kyrgyz. Loaded after select2 and before jquery.init.js, while
 * the global jQuery still holds select2's AMD loader.
 */
"use strict";
(function () {
    const select2 = window.jQuery && jQuery.fn && jQuery.fn.select2;
    if (!select2 || !select2.amd) {
        return;
    }
    select2.amd.define("select2/i18n/ky", [], function () {
        return {
            errorLoading: function () {
                return "Натыйжаларды жүктөө мүмкүн болгон жок";
            },
            inputTooLong: function (args) {
                return (args.input.length - args.maximum) + " белгини өчүрүңүз";
            },
            inputTooShort: function (args) {
                return "Дагы " + (args.minimum - args.input.length) + " белги жазыңыз";
            },
            loadingMore: function () {
                return "Жүктөлүүдө…";
            },
            maximumSelected: function (args) {
                return "Эң көп дегенде " + args.maximum + " гана тандай аласыз";
            },
            noResults: function () {
                return "Натыйжа табылган жок";
            },
            searching: function () {
                return "Издөө…";
            },
            removeAllItems: function () {
                return "Баарын алып салуу";
            },
            removeItem: function () {
                return "Алып салуу";
            },
            search: function () {
                return "Издөө";
            }
        };
    });
}());
