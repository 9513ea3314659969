// Forms that ask before they act: <form data-confirm="Question ?">. The question is an attribute
// read here rather than an inline onsubmit handler, which the Content-Security-Policy forbids.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : "";
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
