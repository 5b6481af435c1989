/* collective.cron: a cron's page follows a run to its end (docs/dashboard.rst).
 *
 * The page's #cron-follow element carries data-status-url (the JSON view
 * @@cron-status?uid=...) and data-busy ("1" while the cron's job runs or
 * is due, as right after Run now). While the cron is busy, this script
 * asks the JSON view every 2 seconds, at most 150 times (5 minutes). When
 * the run is over, it fetches the page again and replaces the page's
 * parts marked with data-cron-part (last run, queue state, logs) by their
 * new version: the result shows without a reload. Texts come from the
 * element's data-text-* attributes (translated by the page).
 * Plain JavaScript: no library.
 */
(function () {
    'use strict';

    var INTERVAL = 2000;
    var MAX_POLLS = 150;

    function request(url, type, done, failed) {
        var xhr = new XMLHttpRequest();
        xhr.open('GET', url);
        xhr.responseType = type;
        xhr.onload = function () {
            if (xhr.status === 200 && xhr.response) {
                done(xhr.response);
            } else {
                failed();
            }
        };
        xhr.onerror = failed;
        xhr.send();
    }

    function say(box, name) {
        var text = box.querySelector('.cron-follow-text');
        text.textContent = box.getAttribute('data-text-' + name);
        box.setAttribute('data-state', name);
        box.hidden = false;
    }

    function replaceParts(doc) {
        var parts = document.querySelectorAll('[data-cron-part]');
        Array.prototype.forEach.call(parts, function (part) {
            var fresh = doc.getElementById(part.id);
            if (fresh) {
                part.parentNode.replaceChild(document.importNode(fresh, true),
                                             part);
            }
        });
    }

    function showResult(box) {
        var page = window.location.href.split('#')[0].split('?')[0];
        request(page, 'document', function (doc) {
            replaceParts(doc);
            say(box, 'done');
        }, function () {
            say(box, 'error');
        });
    }

    function follow(box) {
        var url = box.getAttribute('data-status-url');
        var polls = 0;

        function poll() {
            polls += 1;
            request(url, 'json', function (status) {
                if (!status.busy) {
                    showResult(box);
                } else if (polls < MAX_POLLS) {
                    window.setTimeout(poll, INTERVAL);
                } else {
                    say(box, 'timeout');
                }
            }, function () {
                say(box, 'error');
            });
        }

        say(box, 'busy');
        window.setTimeout(poll, INTERVAL);
    }

    function start() {
        var box = document.getElementById('cron-follow');
        if (box && box.getAttribute('data-busy') === '1') {
            follow(box);
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
