/* collective.cron: the add and edit forms show a periodicity in words and
 * its next runs as one types (docs/dashboard.rst).
 *
 * The form page's #cron-schedule-preview element carries data-url (the
 * JSON view @@cron-schedule), data-zone (the edited cron's zone, or empty)
 * and data-text-next (translated by the page). This script moves it under
 * the periodicity field and, 300 ms after the last keystroke in the
 * periodicity or the time zone field, asks the JSON view (the time zone
 * field's value as ``timezone``: empty is the crontab's zone) and shows
 * its text and next runs in that zone, or the error. The time zone field
 * gets the page's list of zones (#cron-zones) as suggestions.
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

    function zoneOf(preview, zoneField) {
        if (zoneField) {
            return zoneField.value.trim();
        }
        return preview.getAttribute('data-zone') || '';
    }

    // the number of the last question asked: an answer to an older one
    // (answers may come back out of order) is not shown
    var asked = 0;

    function ask(preview, value, zone) {
        var url = preview.getAttribute('data-url') + '?periodicity=' +
            encodeURIComponent(value) + '&timezone=' +
            encodeURIComponent(zone);
        var xhr = new XMLHttpRequest();
        var number = ++asked;
        xhr.open('GET', url);
        xhr.responseType = 'json';
        xhr.onload = function () {
            if (number === asked && xhr.status === 200 && xhr.response) {
                show(preview, xhr.response);
            }
        };
        xhr.send();
    }

    function start() {
        var preview = document.getElementById('cron-schedule-preview');
        var field = document.getElementById('form-widgets-periodicity');
        var zoneField = document.getElementById('form-widgets-timezone');
        var timer = null;
        if (!preview || !field) {
            return;
        }
        function update() {
            ask(preview, field.value, zoneOf(preview, zoneField));
        }
        function later() {
            clearTimeout(timer);
            timer = setTimeout(update, DELAY);
        }
        field.parentNode.appendChild(preview);
        preview.hidden = false;
        field.addEventListener('input', later);
        if (zoneField) {
            zoneField.setAttribute('list', 'cron-zones');
            zoneField.addEventListener('input', later);
            zoneField.addEventListener('change', later);
        }
        update();
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
