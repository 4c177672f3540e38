// allauth's WebAuthn script reports a failed ceremony (cancelled, unknown key, timeout)
// as an `allauth.error` event and otherwise only logs it: show the page's message.
document.addEventListener('allauth.error', function (event) {
  const message = document.querySelector('[data-webauthn-error]')
  if (message) {
    event.preventDefault()
    message.hidden = false
    message.focus()
  }
})
