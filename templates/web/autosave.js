// Saves a questionnaire page shortly after a field changes, and shows the area's grades
// as they then stand. The page works the same without this script: its own buttons
// save everything.
//
// Each save names the fields changed since the last one and what they held before
// (`bases`), so that the service merges exactly those: a field another inspector
// changed meanwhile is never overwritten by this page's older text.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var status = document.getElementById('sparad');

  // Every field of the form: name -> its values (a list field has several).
  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'submit' || el.type === 'hidden' || el.type === 'button') {
        return;
      }
      if (!Object.prototype.hasOwnProperty.call(out, el.name)) {
        out[el.name] = [];
      }
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) {
        return;
      }
      out[el.name].push(el.value);
    });
    return out;
  }

  function same(a, b) {
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }

  var known = values();

  // The fields changed since they were last saved, with what they held then.
  function changed(now, also) {
    var bases = {};
    Object.keys(now).forEach(function (name) {
      var before = known[name] || [];
      if (!same(now[name], before) || name === also) {
        bases[name] = before;
      }
    });
    return bases;
  }

  function say(text) {
    status.textContent = text;
  }

  function showGrades(answer) {
    var section = document.getElementById('betyg');
    if (!section) {
      return;
    }
    var heading = section.querySelector('h2');
    while (heading.nextSibling) {
      section.removeChild(heading.nextSibling);
    }
    if (answer.grades) {
      var list = document.createElement('dl');
      answer.grades.cells.forEach(function (cell) {
        var term = document.createElement('dt');
        term.textContent = 'Enligt ' + cell.version + ': ' + cell.grade;
        var text = document.createElement('dd');
        text.textContent = cell.reasons.join('; ');
        list.appendChild(term);
        list.appendChild(text);
      });
      section.appendChild(list);
    } else if (answer.ungraded) {
      var note = document.createElement('p');
      note.textContent = answer.ungraded;
      section.appendChild(note);
    }
  }

  var timer = null;
  var busy = false;
  var again = false;

  function save() {
    if (busy) {
      again = true;
      return;
    }
    var now = values();
    var bases = changed(now, null);
    if (Object.keys(bases).length === 0) {
      return;
    }
    var body = new URLSearchParams(new FormData(form));
    body.set('bases', JSON.stringify(bases));
    busy = true;
    say('Sparar …');
    fetch(form.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    }).then(function (response) {
      return response.json().then(function (answer) {
        return { ok: response.ok, answer: answer };
      });
    }).then(function (result) {
      busy = false;
      var answer = result.answer;
      if (!result.ok) {
        say('Det gick inte att spara: ' + answer.refused.map(function (r) { return r[1]; }).join(' ') +
          ' Texten finns kvar i fältet.');
        return;
      }
      Object.keys(bases).forEach(function (name) { known[name] = now[name]; });
      var text = answer.saved;
      if (answer.conflicts) {
        text += ' Ett fält har nu två texter, din och en annan granskares: ladda om sidan för att välja.';
      } else if (answer.others) {
        text += ' En annan granskare har också sparat: ladda om sidan för att se deras ändringar.';
      }
      say(text);
      showGrades(answer);
      if (again) {
        again = false;
        save();
      }
    }).catch(function () {
      busy = false;
      say('Det gick inte att spara just nu. Tryck på Spara.');
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  // The page's own buttons send the same account of what changed, so that a field
  // this script saved already is not taken for a change made from the page's version.
  form.addEventListener('submit', function (event) {
    clearTimeout(timer);
    var also = null;
    var button = event.submitter;
    if (button && button.name === 'remove') {
      also = button.value.replace(/-\d+$/, '');
    }
    var field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'bases';
    field.value = JSON.stringify(changed(values(), also));
    form.appendChild(field);
  });
}());
