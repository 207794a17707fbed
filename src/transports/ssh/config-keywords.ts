/**
 * Every keyword OpenSSH's client accepts (readconf.c, 9.x, including deprecated and Debian
 * GSSAPI ones). A keyword outside this list is an error, as it is for ssh, unless IgnoreUnknown
 * covers it: a typo such as `HostNmae` must not silently connect somewhere else.
 */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set(
  `
  # deprecated, unsupported or platform-dependent: accepted and ignored by ssh
  protocol cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication userknownhostsfile2
  useroaming usersh useprivilegedport afstokenpassing kerberosauthentication kerberostgtpassing
  rsaauthentication rhostsrsaauthentication compressionlevel gssapiauthentication gssapidelegatecredentials
  gssapikeyexchange gssapiclientidentity gssapiserveridentity gssapirenewalforcesrekey gssapikexalgorithms
  gssapitrustdns smartcarddevice pkcs11provider securitykeyprovider
  # current keywords
  forwardagent forwardx11 forwardx11trusted forwardx11timeout exitonforwardfailure xauthlocation
  gatewayports passwordauthentication kbdinteractiveauthentication kbdinteractivedevices
  challengeresponseauthentication skeyauthentication tisauthentication pubkeyauthentication dsaauthentication
  hostbasedauthentication identityfile identityfile2 identitiesonly certificatefile addkeystoagent
  identityagent hostname hostkeyalias proxycommand port ciphers macs remoteforward localforward
  permitremoteopen user host match escapechar globalknownhostsfile userknownhostsfile
  connectionattempts batchmode checkhostip stricthostkeychecking compression tcpkeepalive keepalive
  numberofpasswordprompts syslogfacility loglevel logverbose dynamicforward preferredauthentications
  hostkeyalgorithms casignaturealgorithms bindaddress bindinterface clearallforwardings enablesshkeysign
  verifyhostkeydns nohostauthenticationforlocalhost rekeylimit connecttimeout addressfamily
  serveraliveinterval serveralivecountmax sendenv setenv controlpath controlmaster controlpersist
  hashknownhosts include tunnel tunneldevice localcommand permitlocalcommand remotecommand
  visualhostkey kexalgorithms ipqos requesttty sessiontype stdinnull forkafterauthentication
  proxyusefdpass canonicaldomains canonicalizefallbacklocal canonicalizehostname canonicalizemaxdots
  canonicalizepermittedcnames streamlocalbindmask streamlocalbindunlink revokedhostkeys fingerprinthash
  updatehostkeys hostbasedacceptedalgorithms hostbasedkeytypes pubkeyacceptedalgorithms
  pubkeyacceptedkeytypes ignoreunknown proxyjump knownhostscommand requiredrsasize
  enableescapecommandline channeltimeout
  # added after 9.2, accepted so a newer operator's config still loads
  obscurekeystroketiming tag refuseconnection warnweakcrypto
`
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join(" ")
    .split(/\s+/)
    .filter((word) => word !== ""),
);
