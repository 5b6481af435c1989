/* collective.cron: the add and edit forms show a periodicity in words and
 * its next runs as one types (docs/dashboard.rst).
 *
 * The form page's #cron-schedule-preview element carries data-url (the
 * JSON view @@cron-schedule), data-zone (the edited cron's zone, or empty)
 * and data-text-next (translated by the page). This script moves it under
 * the periodicity field and, 300 ms after the last keystroke, asks the
 * JSON view and shows its text and next runs, or the error.
 * Plain JavaScript: no library.
 */
(function () {
    'use strict';

    var DELAY = 300;

    function show(preview, answer) {
        var text = preview.querySelector('.cron-schedule-text');
        var list = preview.querySelector('.cron-schedule-next');
        list.innerHTML = '';
        if (!answer.valid) {
            text.textContent = answer.error;
            preview.className = 'cron-schedule-preview cron-invalid';
            return;
        }
        preview.className = 'cron-schedule-preview';
        text.textContent = answer.text + ' - ' +
            preview.getAttribute('data-text-next') + ' (' + answer.zone + '):';
        answer.next.forEach(function (run) {
            var item = document.createElement('li');
            item.textContent = run.replace('T', ' ');
            list.appendChild(item);
        });
    }

    function ask(preview, value) {
        var url = preview.getAttribute('data-url') + '?periodicity=' +
            encodeURIComponent(value) + '&zone=' +
            encodeURIComponent(preview.getAttribute('data-zone') || '');
        var xhr = new XMLHttpRequest();
        xhr.open('GET', url);
        xhr.responseType = 'json';
        xhr.onload = function () {
            if (xhr.status === 200 && xhr.response) {
                show(preview, xhr.response);
            }
        };
        xhr.send();
    }

    function start() {
        var preview = document.getElementById('cron-schedule-preview');
        var field = document.getElementById('form-widgets-periodicity');
        var timer = null;
        if (!preview || !field) {
            return;
        }
        field.parentNode.appendChild(preview);
        preview.hidden = false;
        field.addEventListener('input', function () {
            clearTimeout(timer);
            timer = setTimeout(function () { ask(preview, field.value); },
                               DELAY);
        });
        ask(preview, field.value);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
